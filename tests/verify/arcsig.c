/*
 * arcsig (verify harness): the ARCSIG trailer parser and verifier over a
 * module of unknown bytes and any length up to 1 KiB.
 *
 * The verifier is handed whatever a boot module or a signing request holds:
 * any bytes, any length (0 included). The length is one interval, not one
 * analysis per length: split return states (arcsig.mk) keep arcsig_parse's
 * "OK, view filled" apart from its refusals, which is what the verifier's
 * use of the view depends on. The bound on the length only caps the
 * analysis's buffer; nothing in the code depends on it.
 */
#include <__fc_builtin.h>
#include <arcsig.h>
#include <string.h>

#define MAX_FILE 1024

static uint8_t file[MAX_FILE];

int main(void)
{
	struct arcsig_view view;
	uint8_t public_key[32];
	size_t body_len;
	size_t len = Frama_C_size_t_interval(0, MAX_FILE);

	Frama_C_make_unknown((char *)file, MAX_FILE);
	Frama_C_make_unknown((char *)public_key, sizeof(public_key));

	(void)arcsig_parse(file, len, &view);
	(void)arcsig_verify(file, len, public_key, &body_len);
	(void)arcsig_verify(file, len, public_key, NULL);
	(void)arcsig_status_reason((enum arcsig_status)Frama_C_int_interval(-1, 8));
	return 0;
}
