/*
 * decode.c - the attributes of a search entry, read in place from the
 * received message with liblber's public calls: no allocation, every
 * length checked against what is left of the attribute, the attribute list
 * and the message.
 *
 * Why not ldap_get_attribute_ber: it allocates an array for every
 * attribute (sized by however many values the server claims), and it
 * reports a malformed attribute and the end of the entry alike unless the
 * caller tells LDAP_DECODING_ERROR from LDAP_SUCCESS - which search.c once
 * did not, so a half-read entry passed as complete. Here the end of the
 * list (0) and a decoding error (-1) are different answers, and a caller
 * may stop taking values at any point without losing its place.
 *
 * Used by rootdse.c and reply.c; the fuzz target feeds it raw BER through
 * spn_decode_entry, which positions a BerElement as ldap_get_dn_ber does.
 */
#include "ldap_int.h"

static bool left(BerElement *ber, ber_len_t *n)
{
	return ber_get_option(ber, LBER_OPT_REMAINING_BYTES, n) == LBER_OPT_SUCCESS;
}

int spn_decode_entry(BerElement *ber, struct berval *dn)
{
	ber_len_t len = 0;
	/* ldap_get_dn_ber's own steps: into the entry, the DN, into the list,
	 * and the list's end made the end of what may be read. */
	if (ber_scanf(ber, "{ml{", dn, &len) == LBER_ERROR)
		return -1;
	return ber_set_option(ber, LBER_OPT_REMAINING_BYTES, &len) == LBER_OPT_SUCCESS ? 0 : -1;
}

void spn_decode_start(struct spn_attr_walk *w, BerElement *ber)
{
	w->ber = ber;
	w->stop = 0;
	w->open = false;
}

int spn_decode_value(struct spn_attr_walk *w, struct berval *v)
{
	ber_len_t n;
	if (!w->open)
		return 0;
	if (!left(w->ber, &n) || n < w->stop)
		return -1;
	if (n == w->stop)
		return 0;
	if (ber_get_stringbv(w->ber, v, LBER_BV_NOTERM) != LBER_OCTETSTRING ||
	    !left(w->ber, &n) || n < w->stop)
		return -1;
	return 1;
}

int spn_decode_attr(struct spn_attr_walk *w, struct berval *desc)
{
	ber_len_t n, len;
	if (w->open) {
		/* Values the caller did not take: skipped, still checked. */
		struct berval v;
		int k;
		while ((k = spn_decode_value(w, &v)) == 1)
			;
		if (k < 0)
			return -1;
		w->open = false;
	}
	if (!left(w->ber, &n))
		return -1;
	if (n == 0)
		return 0;
	/* PartialAttribute ::= SEQUENCE { type OCTET STRING, vals SET OF OCTET STRING } */
	if (ber_skip_tag(w->ber, &len) != LBER_SEQUENCE || !left(w->ber, &n) || len > n)
		return -1;
	w->stop = n - len;
	if (ber_get_stringbv(w->ber, desc, LBER_BV_NOTERM) != LBER_OCTETSTRING)
		return -1;
	/* The set must be the rest of the attribute, exactly. */
	if (ber_skip_tag(w->ber, &len) != LBER_SET || !left(w->ber, &n) || len > n ||
	    n - len != w->stop)
		return -1;
	w->open = true;
	return 1;
}
