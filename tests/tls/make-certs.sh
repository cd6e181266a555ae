#!/usr/bin/env bash
# Makes the certificates the TLS tests use, with the openssl command line
# tool, into DIR (default: build/tls-certs). Made once; run again with
# FORCE=1 to remake them.
#
#   ca.pem            the test CA (trusted by the tests)
#   server.pem/.key   CN=localhost, SAN DNS:localhost and IP 127.0.0.1, by ca
#   other.pem/.key    CN=other.example.com (SAN the same), by ca
#   client.pem/.key   a client: C=US ST=Massachusetts L=Boston O=Proton RS
#                     OU=Tests CN=test-client, by ca
#   client-enc.key    client.key encrypted (AES-256) with password "secret"
#   server-enc.key    server.key encrypted the same way
#   untrusted-ca.pem  a second CA the tests do not trust
#   untrusted.pem/.key CN=localhost (SAN too), by untrusted-ca
#   cas.pem           ca.pem + untrusted-ca.pem (one file, two CAs)
#
# usage: tests/tls/make-certs.sh [DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../../build/tls-certs}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/.done" ] && [ -z "${FORCE:-}" ]; then
  echo "$dir"
  exit 0
fi
cd "$dir"
rm -f .done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ossl() { openssl "$@" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }; }

# ca NAME CN: a self-signed CA.
ca() {
  ossl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout "$1.key" -out "$1.pem" \
    -subj "/O=Proton RS Tests/CN=$2" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
}

# leaf NAME CA SUBJECT SAN EKU: a certificate signed by CA.
leaf() {
  ossl req -newkey rsa:2048 -nodes -sha256 -keyout "$1.key" -out "$tmp/$1.csr" -subj "$3"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n%s\n' \
    "$5" "$4" >"$tmp/$1.ext"
  ossl x509 -req -in "$tmp/$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 3650 -sha256 \
    -extfile "$tmp/$1.ext" -out "$1.pem"
}

ca ca "Proton RS Test CA"
ca untrusted-ca "Untrusted CA"
leaf server ca "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1" "serverAuth,clientAuth"
leaf other ca "/CN=other.example.com" "subjectAltName=DNS:other.example.com" "serverAuth,clientAuth"
leaf client ca "/C=US/ST=Massachusetts/L=Boston/O=Proton RS/OU=Tests/CN=test-client" "" "clientAuth,serverAuth"
leaf untrusted untrusted-ca "/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1" "serverAuth,clientAuth"
ossl pkey -in client.key -aes256 -passout pass:secret -out client-enc.key
ossl pkey -in server.key -aes256 -passout pass:secret -out server-enc.key
cat ca.pem untrusted-ca.pem >cas.pem
rm -f ./*.srl
touch .done
echo "$dir"
