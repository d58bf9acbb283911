/*
 * syscall_args (verify harness): the pure argument checks of the ABI
 * headers, which the kernel's handlers, the drivers and the network stack
 * apply to numbers a message or a call brings: channel offsets and lengths
 * (abi/channel.h), network slot numbers and frame lengths (abi/net.h).
 * Every argument is any value of its type; WP proves each check is
 * exactly the rule its contract states, with no overflow on the way
 * (channel_range_ok's offset + len is a mathematical sum).
 */
#include <__fc_builtin.h>
#include <abi/channel.h>
#include <abi/net.h>
#include <stdint.h>

int main(void)
{
	uint64_t offset = Frama_C_size_t_interval(0, SIZE_MAX);
	uint64_t len = Frama_C_size_t_interval(0, SIZE_MAX);
	uint64_t size = Frama_C_size_t_interval(0, SIZE_MAX);
	uint32_t type = Frama_C_unsigned_int_interval(0, UINT32_MAX);
	uint32_t slot = Frama_C_unsigned_int_interval(0, UINT32_MAX);
	uint32_t length = Frama_C_unsigned_int_interval(0, UINT32_MAX);

	(void)channel_range_ok(offset, len, size);
	(void)net_slot_number_ok(type, slot);
	(void)net_frame_length_ok(length);
	return 0;
}
