/*
 * builder.h - make a tiny model in a unit test without any source:
 *
 *   struct spn_model *m = tb_new(0);
 *   tb_add(m, "CN=EXCH01,OU=Servers,DC=corp,DC=example",
 *          "objectClass=computer", "sAMAccountName=EXCH01$",
 *          "userAccountControl=4096", "servicePrincipalName=SMTPSVC/EXCH01", NULL);
 *   tb_finish(m);
 *
 * Each "attr=value" adds one value of one attribute (names as in LDAP, any
 * case); objectSid accepts the text form "S-1-5-21-1-2-3-500". Failures
 * abort the test via cmocka's fail_msg.
 */
#ifndef SPN_TEST_BUILDER_H
#define SPN_TEST_BUILDER_H

#include <stdarg.h>
#include <string.h>

#include "spn/model.h"

static inline struct spn_model *tb_new(unsigned flags)
{
	struct spn_model *m = spn_model_new(flags);
	struct spn_err err;
	uint16_t idx;
	spn_err_init(&err);
	if (!m || spn_model_add_source(m, "test.ldif", "ldif", &idx, &err))
		fail_msg("tb_new: %s", err.msg);
	return m;
}

static inline void tb_add(struct spn_model *m, const char *dn, ...)
{
	struct spn_entry e;
	struct spn_err err;
	va_list ap;
	spn_entry_init(&e);
	spn_err_init(&err);
	e.dn.p = dn;
	e.dn.n = strlen(dn);
	e.where = "test.ldif:1";
	va_start(ap, dn);
	for (const char *kv = va_arg(ap, const char *); kv; kv = va_arg(ap, const char *)) {
		const char *eq = strchr(kv, '=');
		if (!eq)
			fail_msg("tb_add: '%s' has no '='", kv);
		int a = spn_attr_lookup(kv, (size_t)(eq - kv));
		if (a < 0)
			fail_msg("tb_add: unknown attribute in '%s'", kv);
		spn_entry_add(&e, (enum spn_attr)a, eq + 1, strlen(eq + 1));
	}
	va_end(ap);
	if (spn_model_add_entry(m, 0, &e, &err))
		fail_msg("tb_add(%s): %s", dn, err.msg);
	spn_entry_release(&e);
}

static inline void tb_finish(struct spn_model *m)
{
	struct spn_err err;
	spn_err_init(&err);
	if (spn_model_finish(m, &err))
		fail_msg("tb_finish: %s", err.msg);
}

/* Account id by DN, or fail. */
static inline uint32_t tb_id(const struct spn_model *m, const char *dn)
{
	uint32_t id;
	if (spn_model_find_account(m, dn, &id, 1) != 1)
		fail_msg("tb_id: no single account '%s'", dn);
	return id;
}

#endif
