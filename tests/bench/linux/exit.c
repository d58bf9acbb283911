/*
 * exit: the tiny program the Linux bench's init forks and execs, over and
 * over, to time fork + exec + wait (tests/bench/linux/init.c) -- the
 * counterpart of CambiOS's bench-exit. No libc, so exec maps one small
 * static file and nothing runs before the exit: exit_group(0) (231 on
 * x86_64) at its first instruction. Written as top-level assembly because
 * the entry point must be called _start, a name C reserves.
 */
__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	movl $231, %eax\n"
	"	xorl %edi, %edi\n"
	"	syscall\n"
	"	ud2\n");
