//! pn_list_t, pn_map_t, pn_hash_t and pn_iterator_t.
