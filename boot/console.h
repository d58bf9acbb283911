/*
 * console: the loader's messages, to the screen and the serial port.
 *
 * While boot services exist, text goes through ConOut, which OVMF and AAVMF
 * send to both the display and the serial port. After ExitBootServices
 * there is no ConOut, so the raw UART is used (COM1 / PL011).
 * Every line starts with "cambios-boot: " so it is easy to tell the
 * loader's words from the kernel's.
 */
#ifndef CAMBIOS_BOOT_CONSOLE_H
#define CAMBIOS_BOOT_CONSOLE_H

void console_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "cambios-boot: error: <message>" and stops for good: the machine
 * waits (halted) so the message stays readable; nothing is booted. */
__attribute__((noreturn, format(printf, 1, 2))) void console_fatal(const char *fmt, ...);

#endif
