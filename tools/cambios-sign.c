/*
 * cambios-sign: keys and ARCSIG signatures for CambiOS boot modules.
 *
 *   keygen       --seed-out FILE --pubkey-out FILE [--force]
 *   sign         (--key SEEDFILE | --signer-cmd CMD) [--pubkey FILE] [--resign] IN [-o OUT]
 *   verify       --pubkey FILE IN
 *   inspect      IN
 *   pubkey-to-c  --pubkey FILE -o OUT.h
 *
 * A signed file is the original bytes followed by the 72-byte ARCSIG
 * trailer (lib/arcsig.h): an Ed25519 signature over the BLAKE3 hash of the
 * original bytes. The tool uses the project's own crypto (lib/crypto), the
 * same code the kernel verifies with.
 *
 * Keys: the seed file holds the 32-byte Ed25519 secret seed (created mode
 * 0600); the public key file is the raw 32-byte key (bootstrap_pubkey.bin)
 * or the 40-byte CKEY form ("CKEY", version 1, algorithm 0, a 2-byte
 * fingerprint = the first 2 bytes of BLAKE3(key), the key). With
 * --signer-cmd the secret never touches this tool: the command receives
 * the 32-byte hash on stdin and must write the 64-byte raw signature on
 * stdout (a hardware token, or `openssl pkeyutl -sign -rawin`).
 *
 * Exit codes: 0 success, 1 a verification or validation failure, 2 usage.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arcsig.h>
#include <crypto/blake3.h>
#include <crypto/ed25519.h>

#define EXIT_REJECTED 1
#define EXIT_USAGE 2
#define SEED_LEN ED25519_SEED_LEN
#define KEY_LEN ED25519_PUBLIC_KEY_LEN
#define CKEY_LEN 40
#define MAX_FILE (256u << 20)

struct options {
	const char *seed_out, *pubkey_out, *key, *signer_cmd, *pubkey, *out, *in;
	bool force, resign;
};

static __attribute__((noreturn, format(printf, 2, 3))) void die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cambios-sign: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(code);
}

static const char usage[] =
	"usage: cambios-sign COMMAND [OPTIONS]\n"
	"  keygen --seed-out FILE --pubkey-out FILE [--force]\n"
	"      new Ed25519 key pair: 32-byte seed (mode 0600), raw 32-byte public key\n"
	"  sign (--key SEEDFILE | --signer-cmd CMD) [--pubkey FILE] [--resign] IN [-o OUT]\n"
	"      append the 72-byte ARCSIG trailer (in place unless -o); CMD reads the\n"
	"      32-byte BLAKE3 hash on stdin and writes the 64-byte signature on stdout;\n"
	"      with --pubkey the new signature is verified before anything is written\n"
	"  verify --pubkey FILE IN      print 'IN: accepted' or 'IN: rejected (reason)'\n"
	"  inspect IN                   show the trailer and the body's BLAKE3 hash\n"
	"  pubkey-to-c --pubkey FILE -o OUT.h\n"
	"      C header with the key (raw 32 bytes or 40-byte CKEY accepted)\n";

/* ---------------------------------------------------------------- files */

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		die(EXIT_REJECTED, "%s: %s", path, strerror(errno));
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > MAX_FILE + 1)
				die(EXIT_REJECTED, "%s: larger than %u MiB", path, MAX_FILE >> 20);
			buf = realloc(buf, cap);
			if (!buf)
				die(EXIT_REJECTED, "out of memory");
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		die(EXIT_REJECTED, "%s: read error", path);
	fclose(f);
	*len = n;
	return buf;
}

/* Writes via a temporary file and rename, so a failure never leaves half a
 * file behind. */
static void write_file(const char *path, const void *a, size_t a_len, const void *b, size_t b_len,
		       mode_t mode, bool exclusive)
{
	char tmp[4096];
	int fd;

	if (exclusive && access(path, F_OK) == 0)
		die(EXIT_REJECTED, "%s exists; use --force to replace it", path);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		die(EXIT_REJECTED, "%s: path too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0)
		die(EXIT_REJECTED, "%s: %s", tmp, strerror(errno));
	if (fchmod(fd, mode) != 0 || (a_len && write(fd, a, a_len) != (ssize_t)a_len) ||
	    (b_len && write(fd, b, b_len) != (ssize_t)b_len) || close(fd) != 0 ||
	    rename(tmp, path) != 0) {
		unlink(tmp);
		die(EXIT_REJECTED, "%s: cannot write: %s", path, strerror(errno));
	}
}

static void print_hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

/* ---------------------------------------------------------------- keys */

static void read_seed(const char *path, uint8_t seed[SEED_LEN])
{
	size_t len;
	uint8_t *data = read_file(path, &len);

	if (len != SEED_LEN)
		die(EXIT_REJECTED, "%s: a seed file holds exactly %d bytes, this one %zu", path,
		    SEED_LEN, len);
	memcpy(seed, data, SEED_LEN);
	crypto_wipe(data, len);
	free(data);
}

static void read_pubkey(const char *path, uint8_t key[KEY_LEN])
{
	size_t len;
	uint8_t *data = read_file(path, &len);
	uint8_t hash[BLAKE3_OUT_LEN];

	if (len == KEY_LEN) {
		memcpy(key, data, KEY_LEN);
	} else if (len == CKEY_LEN && memcmp(data, "CKEY", 4) == 0) {
		if (data[4] != 1 || data[5] != 0)
			die(EXIT_REJECTED, "%s: CKEY version %u algorithm %u; only version 1 "
				"algorithm 0 (Ed25519) is supported", path, data[4], data[5]);
		memcpy(key, data + 8, KEY_LEN);
		blake3_hash(key, KEY_LEN, hash);
		if (memcmp(hash, data + 6, 2) != 0)
			die(EXIT_REJECTED, "%s: CKEY fingerprint %02x%02x does not match the key "
				"(expected %02x%02x)", path, data[6], data[7], hash[0], hash[1]);
	} else {
		die(EXIT_REJECTED, "%s: %zu bytes is neither a raw 32-byte Ed25519 public key "
			"nor a 40-byte CKEY file", path, len);
	}
	free(data);
}

static int cmd_keygen(const struct options *o)
{
	uint8_t seed[SEED_LEN], key[KEY_LEN];
	int fd = open("/dev/urandom", O_RDONLY);

	if (!o->seed_out || !o->pubkey_out)
		die(EXIT_USAGE, "keygen needs --seed-out and --pubkey-out");
	if (fd < 0 || read(fd, seed, sizeof(seed)) != (ssize_t)sizeof(seed))
		die(EXIT_REJECTED, "cannot read /dev/urandom");
	close(fd);
	ed25519_public_key(seed, key);
	write_file(o->seed_out, seed, sizeof(seed), NULL, 0, 0600, !o->force);
	crypto_wipe(seed, sizeof(seed));
	write_file(o->pubkey_out, key, sizeof(key), NULL, 0, 0644, !o->force);
	printf("keygen: seed %s (mode 0600), public key %s\n", o->seed_out, o->pubkey_out);
	return 0;
}

/* ---------------------------------------------------------------- signing */

/* Runs the external signer: hash on its stdin, 64 bytes on its stdout. */
static void external_sign(const char *cmd, const uint8_t hash[BLAKE3_OUT_LEN],
			  uint8_t sig[ED25519_SIGNATURE_LEN])
{
	int to_child[2], from_child[2], status;
	uint8_t extra;
	size_t got = 0;

	if (pipe(to_child) != 0 || pipe(from_child) != 0)
		die(EXIT_REJECTED, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid == 0) {
		dup2(to_child[0], 0);
		dup2(from_child[1], 1);
		close(to_child[1]);
		close(from_child[0]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(to_child[0]);
	close(from_child[1]);
	if (write(to_child[1], hash, BLAKE3_OUT_LEN) != BLAKE3_OUT_LEN)
		die(EXIT_REJECTED, "signer command did not take the hash");
	close(to_child[1]);
	for (ssize_t n; got < ED25519_SIGNATURE_LEN &&
			(n = read(from_child[0], sig + got, ED25519_SIGNATURE_LEN - got)) > 0;)
		got += (size_t)n;
	bool more = read(from_child[0], &extra, 1) > 0;
	close(from_child[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die(EXIT_REJECTED, "signer command failed (status %d)", status);
	if (got != ED25519_SIGNATURE_LEN || more)
		die(EXIT_REJECTED, "signer command must write exactly %d bytes; it wrote %s%zu",
		    ED25519_SIGNATURE_LEN, more ? "more than " : "", got);
}

static size_t body_length(const char *path, const uint8_t *file, size_t len, bool resign)
{
	struct arcsig_view v;
	enum arcsig_status s = arcsig_parse(file, len, &v);

	if (s == ARCSIG_UNSIGNED)
		return len;
	if (!resign)
		die(EXIT_REJECTED, "%s is already signed (%s trailer); use --resign to replace it",
		    path, arcsig_status_reason(s));
	if (s == ARCSIG_TRUNCATED)
		die(EXIT_REJECTED, "%s ends in a truncated trailer; restore the original file", path);
	return v.body_len;
}

static int cmd_sign(const struct options *o)
{
	size_t len;
	uint8_t *file, hash[BLAKE3_OUT_LEN], trailer[ARCSIG_TRAILER_LEN];

	if (!o->in || (!o->key == !o->signer_cmd))
		die(EXIT_USAGE, "sign needs IN and exactly one of --key and --signer-cmd");
	file = read_file(o->in, &len);
	size_t body = body_length(o->in, file, len, o->resign);
	blake3_hash(file, body, hash);
	if (o->key) {
		uint8_t seed[SEED_LEN], own[KEY_LEN];
		read_seed(o->key, seed);
		ed25519_public_key(seed, own);
		ed25519_sign(seed, own, hash, sizeof(hash), trailer);
		crypto_wipe(seed, sizeof(seed));
	} else {
		external_sign(o->signer_cmd, hash, trailer);
	}
	memcpy(trailer + ARCSIG_SIGNATURE_LEN, ARCSIG_MAGIC, ARCSIG_MAGIC_LEN);
	trailer[ARCSIG_TRAILER_LEN - 2] = ARCSIG_VERSION;
	trailer[ARCSIG_TRAILER_LEN - 1] = ARCSIG_ALGORITHM_ED25519;
	if (o->pubkey) {
		uint8_t key[KEY_LEN];
		read_pubkey(o->pubkey, key);
		if (ed25519_verify(key, hash, sizeof(hash), trailer) != ED25519_OK)
			die(EXIT_REJECTED, "the new signature of %s does not verify against %s",
			    o->in, o->pubkey);
	}
	write_file(o->out ? o->out : o->in, file, body, trailer, sizeof(trailer), 0644, false);
	free(file);
	return 0;
}

static int cmd_verify(const struct options *o)
{
	size_t len;
	uint8_t key[KEY_LEN], *file;

	if (!o->in || !o->pubkey)
		die(EXIT_USAGE, "verify needs --pubkey and IN");
	read_pubkey(o->pubkey, key);
	file = read_file(o->in, &len);
	enum arcsig_status s = arcsig_verify(file, len, key, NULL);
	free(file);
	if (s == ARCSIG_OK) {
		printf("%s: accepted\n", o->in);
		return 0;
	}
	printf("%s: rejected (%s)\n", o->in, arcsig_status_reason(s));
	return EXIT_REJECTED;
}

static int cmd_inspect(const struct options *o)
{
	size_t len;
	uint8_t *file, hash[BLAKE3_OUT_LEN];
	struct arcsig_view v;

	if (!o->in)
		die(EXIT_USAGE, "inspect needs IN");
	file = read_file(o->in, &len);
	enum arcsig_status s = arcsig_parse(file, len, &v);
	size_t body = s == ARCSIG_UNSIGNED || s == ARCSIG_TRUNCATED ? len : v.body_len;
	blake3_hash(file, body, hash);
	printf("file:        %s (%zu bytes)\n", o->in, len);
	printf("trailer:     %s\n", s == ARCSIG_OK ? "ARCSIG" : arcsig_status_reason(s));
	printf("body:        %zu bytes, BLAKE3 ", body);
	print_hex(stdout, hash, sizeof(hash));
	printf("\n");
	if (s == ARCSIG_OK || s == ARCSIG_UNKNOWN_VERSION || s == ARCSIG_UNKNOWN_ALGORITHM) {
		printf("version:     %u\nalgorithm:   %u%s\nsignature:   ", v.version, v.algorithm,
		       v.algorithm == ARCSIG_ALGORITHM_ED25519 ? " (Ed25519)" : "");
		print_hex(stdout, v.signature, ARCSIG_SIGNATURE_LEN);
		printf("\n");
	}
	free(file);
	return 0;
}

static int cmd_pubkey_to_c(const struct options *o)
{
	uint8_t key[KEY_LEN];
	char text[1024];
	int n;

	if (!o->pubkey || !o->out)
		die(EXIT_USAGE, "pubkey-to-c needs --pubkey and -o");
	read_pubkey(o->pubkey, key);
	n = snprintf(text, sizeof(text),
		     "/* Generated by cambios-sign pubkey-to-c from %s: the bootstrap\n"
		     " * Ed25519 public key. Public by design; no secret is ever compiled in. */\n"
		     "static const uint8_t bootstrap_public_key[32] = {\n\t",
		     o->pubkey);
	for (int i = 0; i < KEY_LEN; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "0x%02x,%s", key[i],
			      i == KEY_LEN - 1 ? "\n" : (i % 8 == 7 ? "\n\t" : " "));
	n += snprintf(text + n, sizeof(text) - (size_t)n, "};\n");
	write_file(o->out, text, (size_t)n, NULL, 0, 0644, false);
	return 0;
}

/* ---------------------------------------------------------------- main */

static const char **option_slot(struct options *o, const char *name)
{
	if (!strcmp(name, "--seed-out")) return &o->seed_out;
	if (!strcmp(name, "--pubkey-out")) return &o->pubkey_out;
	if (!strcmp(name, "--key")) return &o->key;
	if (!strcmp(name, "--signer-cmd")) return &o->signer_cmd;
	if (!strcmp(name, "--pubkey")) return &o->pubkey;
	if (!strcmp(name, "-o")) return &o->out;
	return NULL;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	for (int i = 2; i < argc; i++) {
		const char **slot = option_slot(o, argv[i]);

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			exit(0);
		} else if (!strcmp(argv[i], "--force")) {
			o->force = true;
		} else if (!strcmp(argv[i], "--resign")) {
			o->resign = true;
		} else if (slot) {
			if (++i == argc)
				die(EXIT_USAGE, "%s needs a value", argv[i - 1]);
			*slot = argv[i];
		} else if (argv[i][0] == '-') {
			die(EXIT_USAGE, "unknown option %s (see --help)", argv[i]);
		} else if (!o->in) {
			o->in = argv[i];
		} else {
			die(EXIT_USAGE, "unexpected argument %s", argv[i]);
		}
	}
}

int main(int argc, char **argv)
{
	struct options o = { 0 };

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	parse_options(argc, argv, &o);
	if (!strcmp(argv[1], "keygen")) return cmd_keygen(&o);
	if (!strcmp(argv[1], "sign")) return cmd_sign(&o);
	if (!strcmp(argv[1], "verify")) return cmd_verify(&o);
	if (!strcmp(argv[1], "inspect")) return cmd_inspect(&o);
	if (!strcmp(argv[1], "pubkey-to-c")) return cmd_pubkey_to_c(&o);
	die(EXIT_USAGE, "unknown command %s (see --help)", argv[1]);
}
