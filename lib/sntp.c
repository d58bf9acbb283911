/*
 * sntp: requests made, replies checked, NTP time as a date (see sntp.h).
 */
#include "sntp.h"

#define LI_SHIFT 6
#define VN_SHIFT 3
#define MODE_MASK 7u
#define MODE_CLIENT 3u
#define MODE_SERVER 4u
#define LI_UNSYNCHRONIZED 3u
#define ORIGIN_OFFSET 24
#define TRANSMIT_OFFSET 40
#define STRATUM_MAX 15u
#define ERA_SECONDS 4294967296ll /* 2^32 */

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void sntp_request(uint8_t out[SNTP_PACKET_LEN], uint64_t transmit)
{
	for (size_t i = 0; i < SNTP_PACKET_LEN; i++)
		out[i] = 0;
	out[0] = (uint8_t)(4u << VN_SHIFT | MODE_CLIENT); /* LI 0: no warning */
	for (int i = 0; i < 8; i++)
		out[TRANSMIT_OFFSET + i] = (uint8_t)(transmit >> (56 - 8 * i));
}

enum sntp_verdict sntp_check_reply(const uint8_t *p, size_t len, uint64_t sent, uint32_t *seconds)
{
	if (len < SNTP_PACKET_LEN)
		return SNTP_SHORT;
	unsigned li = p[0] >> LI_SHIFT, vn = (p[0] >> VN_SHIFT) & 7u, stratum = p[1];
	if ((p[0] & MODE_MASK) != MODE_SERVER)
		return SNTP_MODE;
	if (vn != 3 && vn != 4)
		return SNTP_VERSION;
	if (li == LI_UNSYNCHRONIZED)
		return SNTP_UNSYNCHRONIZED;
	if (stratum == 0 || stratum > STRATUM_MAX)
		return SNTP_STRATUM;
	if (get64(p + ORIGIN_OFFSET) != sent)
		return SNTP_ORIGIN;
	uint64_t transmit = get64(p + TRANSMIT_OFFSET);
	if (transmit == 0)
		return SNTP_NO_TIME;
	*seconds = (uint32_t)(transmit >> 32);
	return SNTP_OK;
}

const char *sntp_verdict_name(enum sntp_verdict v)
{
	static const char *const names[SNTP_VERDICTS] = {
		[SNTP_OK] = "ok", [SNTP_SHORT] = "short", [SNTP_MODE] = "mode",
		[SNTP_VERSION] = "version", [SNTP_UNSYNCHRONIZED] = "unsynchronized",
		[SNTP_STRATUM] = "stratum", [SNTP_ORIGIN] = "origin", [SNTP_NO_TIME] = "no time",
	};

	return (unsigned)v < SNTP_VERDICTS ? names[v] : "unknown";
}

int64_t sntp_unix_seconds(uint32_t ntp_seconds)
{
	int64_t s = ntp_seconds;

	if (!(ntp_seconds & 0x80000000u))
		s += ERA_SECONDS; /* era 1: after 2036-02-07 06:28:16 */
	return s - SNTP_UNIX_EPOCH;
}

/* Days since 1970-01-01 as a civil date: Howard Hinnant's days_from_civil
 * inverse, over 400-year eras of 146097 days starting on 0000-03-01. */
static void civil(int64_t days, struct sntp_date *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                  /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                 /* March = 0 */

	d->day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	d->month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	d->year = yoe + era * 400 + (d->month <= 2);
}

void sntp_date(int64_t unix_seconds, struct sntp_date *out)
{
	int64_t days = unix_seconds / 86400, rest = unix_seconds % 86400;

	if (rest < 0) {
		rest += 86400;
		days--;
	}
	civil(days, out);
	out->hour = (unsigned)(rest / 3600);
	out->minute = (unsigned)(rest / 60 % 60);
	out->second = (unsigned)(rest % 60);
}

static char *digits(char *p, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

size_t sntp_format(char *out, size_t cap, const struct sntp_date *d)
{
	if (cap < 20 || d->year < 0 || d->year > 9999)
		return 0;
	char *p = digits(out, (unsigned)d->year, 4);
	*p++ = '-';
	p = digits(p, d->month, 2);
	*p++ = '-';
	p = digits(p, d->day, 2);
	*p++ = ' ';
	p = digits(p, d->hour, 2);
	*p++ = ':';
	p = digits(p, d->minute, 2);
	*p++ = ':';
	p = digits(p, d->second, 2);
	*p = '\0';
	return 19;
}
