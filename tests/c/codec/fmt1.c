#include <proton/codec.h>
#include <proton/object.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
static void show(pn_data_t *d, const char *label) {
  char buf[4096]; size_t sz = sizeof buf;
  int e = pn_data_format(d, buf, &sz);
  printf("%-12s e=%d sz=%zu |%.*s|\n", label, e, sz, (int)sz, buf);
  pn_data_clear(d);
}
#define T(label, stmt) do { stmt; show(d, label); } while (0)
int main() {
  pn_data_t *d = pn_data(0);
  T("empty", (void)0);
  T("null", pn_data_put_null(d));
  T("bool", pn_data_put_bool(d, 1));
  T("ubyte", pn_data_put_ubyte(d, 255));
  T("byte", pn_data_put_byte(d, -128));
  T("ushort", pn_data_put_ushort(d, 65535));
  T("short", pn_data_put_short(d, -32768));
  T("uint", pn_data_put_uint(d, 4294967295u));
  T("int", pn_data_put_int(d, -2147483647-1));
  T("char", pn_data_put_char(d, 'a'));
  T("char0", pn_data_put_char(d, 0));
  T("char_e9", pn_data_put_char(d, 0xe9));
  T("char_1f600", pn_data_put_char(d, 0x1f600));
  T("char_quote", pn_data_put_char(d, '\''));
  T("ulong", pn_data_put_ulong(d, 18446744073709551615ull));
  T("long", pn_data_put_long(d, -9223372036854775807ll-1));
  T("timestamp", pn_data_put_timestamp(d, 1234567890123ll));
  T("ts_neg", pn_data_put_timestamp(d, -1));
  T("float", pn_data_put_float(d, 1.5f));
  T("float3", pn_data_put_float(d, 0.1f));
  T("float_big", pn_data_put_float(d, 1e30f));
  T("float_int", pn_data_put_float(d, 3.0f));
  T("float_nan", pn_data_put_float(d, NAN));
  T("float_inf", pn_data_put_float(d, -INFINITY));
  T("double", pn_data_put_double(d, 0.1));
  T("double2", pn_data_put_double(d, 123456789.123456789));
  T("double3", pn_data_put_double(d, 1e100));
  T("double4", pn_data_put_double(d, 1e-7));
  T("double5", pn_data_put_double(d, 100000.0));
  T("double6", pn_data_put_double(d, 1000000.0));
  T("double7", pn_data_put_double(d, -0.0));
  T("dec32", pn_data_put_decimal32(d, 0x12345678));
  T("dec64", pn_data_put_decimal64(d, 0x123456789abcdef0ull));
  pn_decimal128_t dd; for (int i = 0; i < 16; i++) dd.bytes[i] = i * 17;
  T("dec128", pn_data_put_decimal128(d, dd));
  pn_uuid_t u; for (int i = 0; i < 16; i++) u.bytes[i] = i * 17 + 1;
  T("uuid", pn_data_put_uuid(d, u));
  T("binary", pn_data_put_binary(d, pn_bytes(6, "a\"b\\\n\xff")));
  T("string", pn_data_put_string(d, pn_bytes(9, "a\"b\\\n\xc3\xa9'x")));
  T("string_tab", pn_data_put_string(d, pn_bytes(4, "\t\r\x7f\x01")));
  T("symbol", pn_data_put_symbol(d, pn_bytes(5, "hello")));
  T("symbol2", pn_data_put_symbol(d, pn_bytes(9, "a b:c\"d\xc3\xa9")));
  T("symbol3", pn_data_put_symbol(d, pn_bytes(5, "a-b_c")));
  T("symbol4", pn_data_put_symbol(d, pn_bytes(5, "a.b/c")));
  T("symbol5", pn_data_put_symbol(d, pn_bytes(3, "1ab")));
  T("symbol6", pn_data_put_symbol(d, pn_bytes(3, "a$b")));
  T("symbol7", pn_data_put_symbol(d, pn_bytes(0, "")));
  T("string_empty", pn_data_put_string(d, pn_bytes(0, "")));
  T("string_null", pn_data_put_string(d, pn_bytes(0, NULL)));
  T("list0", pn_data_put_list(d));
  T("map0", pn_data_put_map(d));
  T("arr0", pn_data_put_array(d, false, PN_INT));
  T("arr0d", pn_data_put_array(d, true, PN_INT));
  T("described0", pn_data_put_described(d));
  T("described1", (pn_data_put_described(d), pn_data_enter(d), pn_data_put_int(d, 1)));
  T("list", (pn_data_put_list(d), pn_data_enter(d), pn_data_put_int(d, 1), pn_data_put_string(d, pn_bytes(1,"x")), pn_data_put_list(d), pn_data_enter(d), pn_data_put_null(d), pn_data_exit(d), pn_data_put_map(d)));
  T("map", (pn_data_put_map(d), pn_data_enter(d), pn_data_put_symbol(d, pn_bytes(1,"k")), pn_data_put_int(d, 1), pn_data_put_string(d, pn_bytes(1,"x")), pn_data_put_list(d)));
  T("map_odd", (pn_data_put_map(d), pn_data_enter(d), pn_data_put_symbol(d, pn_bytes(1,"k")), pn_data_put_int(d, 1), pn_data_put_string(d, pn_bytes(1,"x"))));
  T("arr_sym", (pn_data_put_array(d, false, PN_SYMBOL), pn_data_enter(d), pn_data_put_symbol(d, pn_bytes(1,"a")), pn_data_put_symbol(d, pn_bytes(1,"b"))));
  T("arr_desc", (pn_data_put_array(d, true, PN_LIST), pn_data_enter(d), pn_data_put_symbol(d, pn_bytes(1,"a")), pn_data_put_list(d), pn_data_put_list(d)));
  T("arr_desc_ul", (pn_data_put_array(d, true, PN_LIST), pn_data_enter(d), pn_data_put_ulong(d, 0x70), pn_data_put_list(d), pn_data_put_list(d)));
  T("arr_map", (pn_data_put_array(d, false, PN_MAP), pn_data_enter(d), pn_data_put_map(d), pn_data_put_map(d)));
  T("arr_arr", (pn_data_put_array(d, false, PN_ARRAY), pn_data_enter(d), pn_data_put_array(d, false, PN_INT), pn_data_enter(d), pn_data_put_int(d, 3), pn_data_exit(d)));
  T("desc_sym", (pn_data_put_described(d), pn_data_enter(d), pn_data_put_symbol(d, pn_bytes(3,"foo")), pn_data_put_list(d)));
  T("desc_ul", (pn_data_put_described(d), pn_data_enter(d), pn_data_put_ulong(d, 0x10), pn_data_put_list(d), pn_data_enter(d), pn_data_put_string(d, pn_bytes(3, "cid")), pn_data_put_null(d), pn_data_put_null(d), pn_data_put_uint(d, 5)));
  T("desc_ul_unknown", (pn_data_put_described(d), pn_data_enter(d), pn_data_put_ulong(d, 0x99), pn_data_put_list(d)));
  T("desc_ul_nonlist", (pn_data_put_described(d), pn_data_enter(d), pn_data_put_ulong(d, 0x10), pn_data_put_int(d, 4)));
  T("desc_sym_open", (pn_data_put_described(d), pn_data_enter(d), pn_data_put_symbol(d, pn_bytes(14,"amqp:open:list")), pn_data_put_list(d)));
  T("desc_ul_map", (pn_data_put_described(d), pn_data_enter(d), pn_data_put_ulong(d, 0x74), pn_data_put_map(d), pn_data_enter(d), pn_data_put_string(d, pn_bytes(1,"k")),pn_data_put_int(d,1)));
  T("desc_ul_src", (pn_data_put_described(d), pn_data_enter(d), pn_data_put_ulong(d, 0x28), pn_data_put_list(d), pn_data_enter(d), pn_data_put_string(d, pn_bytes(1,"a")), pn_data_put_uint(d,0),pn_data_put_null(d),pn_data_put_null(d),pn_data_put_null(d),pn_data_put_null(d),pn_data_put_null(d),pn_data_put_null(d),pn_data_put_null(d),pn_data_put_null(d),pn_data_put_null(d),pn_data_put_null(d),pn_data_put_int(d,7)));
  T("two", (pn_data_put_int(d, 1), pn_data_put_int(d, 2)));
  return 0;
}
