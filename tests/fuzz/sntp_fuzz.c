/*
 * sntp_fuzz: libFuzzer target for lib/sntp's reply check and calendar.
 *
 * An SNTP reply comes from the network. The input's first 8 bytes are the
 * transmit timestamp the client sent, the rest the reply: the check must
 * stay inside the reply (an exactly-sized copy, so ASan sees a read past
 * it), accept only a reply that carries the timestamp back, and the time
 * it accepts must become a date in range that formats to 19 characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sntp.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_date(uint32_t seconds)
{
	struct sntp_date d;
	char text[20];

	sntp_date(sntp_unix_seconds(seconds), &d);
	if (d.year < 1968 || d.year > 2104 || d.month < 1 || d.month > 12 || d.day < 1 ||
	    d.day > 31 || d.hour > 23 || d.minute > 59 || d.second > 59)
		abort();
	if (sntp_format(text, sizeof(text), &d) != 19 || strlen(text) != 19)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t sent = 0;
	uint32_t seconds = 0;

	if (size < 8)
		return 0;
	for (int i = 0; i < 8; i++)
		sent = sent << 8 | data[i];
	size_t len = size - 8;
	uint8_t *reply = malloc(len ? len : 1);
	if (!reply)
		return 0;
	memcpy(reply, data + 8, len);
	enum sntp_verdict v = sntp_check_reply(reply, len, sent, &seconds);
	if (v == SNTP_OK) {
		uint64_t origin = 0;
		for (int i = 0; i < 8; i++)
			origin = origin << 8 | reply[24 + i];
		if (origin != sent || (reply[0] & 7) != 4 || reply[1] == 0 || reply[1] > 15)
			abort();
		check_date(seconds);
	}
	if (sntp_verdict_name(v) == NULL)
		abort();
	free(reply);
	return 0;
}
