/*
 * udp_echo: the Linux side of `make bench-net` -- the /init of the
 * initramfs scripts/bench_net.py builds for Debian's Linux 6.1, booted in
 * the same QEMU machine as CambiOS (q35, virtio-net on QEMU's user
 * network, the host's loopback forwarded to port 7).
 *
 * It does for Linux what every CambiOS image does with user/virtio-net
 * and user/udp: drive the virtio-net device, take the address QEMU's user
 * network expects (10.0.2.15/24; its gateway 10.0.2.2 is on that link, so
 * no route is needed) and echo every UDP datagram sent to port 7. Debian
 * builds virtio_net and what it needs as modules, so the script puts them
 * in /modules/ named in load order (NN-name.ko, dependencies first) and
 * this program loads them with finit_module; the interface is set up
 * with ioctls, with no other program in the initramfs.
 *
 *   linux-net: loaded <module>
 *   linux-net: echo on 10.0.2.15 port 7 via <interface>
 *   linux-net: failed <what> <errno>
 *
 * The echo then runs until QEMU is stopped (an init must never exit).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MODULE_DIR "/modules"
#define ADDRESS "10.0.2.15"
#define NETMASK "255.255.255.0"
#define ECHO_PORT 7
/* Larger than any datagram QEMU's user network passes (1,500-byte MTU). */
#define ECHO_BUFFER 2048
/* The interface appears while virtio_net's probe runs; wait this long. */
#define INTERFACE_TRIES 100
#define INTERFACE_WAIT_NS 50000000L

/* Says what failed and stops the machine: nothing after it would work. */
static void fail(const char *what)
{
	printf("linux-net: failed %s %d\n", what, errno);
	fflush(stdout);
	reboot(RB_POWER_OFF);
	_exit(1);
}

static int is_module(const struct dirent *entry)
{
	size_t len = strlen(entry->d_name);

	return len > 3 && strcmp(entry->d_name + len - 3, ".ko") == 0;
}

static void load_module(const char *name)
{
	char path[sizeof(MODULE_DIR) + 256];

	(void)snprintf(path, sizeof(path), "%s/%s", MODULE_DIR, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("open-module");
	// glibc 2.36 has no finit_module() wrapper: the system call itself.
	if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
		fail(name);
	close(fd);
	printf("linux-net: loaded %s\n", name);
}

/* Every module in /modules, in the order their names sort. */
static void load_modules(void)
{
	struct dirent **entries;
	int count = scandir(MODULE_DIR, &entries, is_module, alphasort);

	if (count < 0)
		fail("scandir");
	for (int i = 0; i < count; i++) {
		load_module(entries[i]->d_name);
		free(entries[i]);
	}
	free(entries);
}

/* The first interface that is not the loopback; 0 if none yet. */
static int find_interface(char name[IF_NAMESIZE])
{
	struct if_nameindex *all = if_nameindex();
	int found = 0;

	if (all == NULL)
		fail("if_nameindex");
	for (const struct if_nameindex *i = all; i->if_index != 0; i++) {
		if (strcmp(i->if_name, "lo") != 0) {
			(void)snprintf(name, IF_NAMESIZE, "%s", i->if_name);
			found = 1;
			break;
		}
	}
	if_freenameindex(all);
	return found;
}

static void wait_for_interface(char name[IF_NAMESIZE])
{
	const struct timespec pause = { .tv_sec = 0, .tv_nsec = INTERFACE_WAIT_NS };

	for (int i = 0; i < INTERFACE_TRIES; i++) {
		if (find_interface(name))
			return;
		nanosleep(&pause, NULL);
	}
	errno = ENODEV;
	fail("no-interface");
}

static void set_ipv4(int sock, struct ifreq *req, unsigned long request, const char *text)
{
	struct sockaddr_in address = { .sin_family = AF_INET };

	if (inet_pton(AF_INET, text, &address.sin_addr) != 1)
		fail("inet_pton");
	memcpy(&req->ifr_addr, &address, sizeof(address));
	if (ioctl(sock, request, req) != 0)
		fail(request == SIOCSIFADDR ? "set-address" : "set-netmask");
}

/* 10.0.2.15/24 on the interface, and the interface up. */
static void configure(const char *name)
{
	struct ifreq req;
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (sock < 0)
		fail("socket");
	memset(&req, 0, sizeof(req));
	(void)snprintf(req.ifr_name, sizeof(req.ifr_name), "%s", name);
	set_ipv4(sock, &req, SIOCSIFADDR, ADDRESS);
	set_ipv4(sock, &req, SIOCSIFNETMASK, NETMASK);
	if (ioctl(sock, SIOCGIFFLAGS, &req) != 0)
		fail("get-flags");
	req.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(sock, SIOCSIFFLAGS, &req) != 0)
		fail("set-flags");
	close(sock);
}

static int echo_socket(void)
{
	struct sockaddr_in address = {
		.sin_family = AF_INET,
		.sin_port = htons(ECHO_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (sock < 0)
		fail("echo-socket");
	if (bind(sock, (const struct sockaddr *)&address, sizeof(address)) != 0)
		fail("bind");
	return sock;
}

/* Every datagram back to where it came from, as it came. */
static void serve_echo(int sock)
{
	static char buffer[ECHO_BUFFER];

	for (;;) {
		struct sockaddr_in peer;
		socklen_t peer_len = sizeof(peer);
		ssize_t n = recvfrom(sock, buffer, sizeof(buffer), 0, (struct sockaddr *)&peer,
				     &peer_len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail("recvfrom");
		}
		// A send that fails (no buffer, say) loses this echo, as a
		// full queue would; the host counts it lost.
		(void)sendto(sock, buffer, (size_t)n, 0, (const struct sockaddr *)&peer, peer_len);
	}
}

int main(void)
{
	char name[IF_NAMESIZE];

	load_modules();
	wait_for_interface(name);
	configure(name);
	int sock = echo_socket();
	printf("linux-net: echo on %s port %d via %s\n", ADDRESS, ECHO_PORT, name);
	fflush(stdout);
	serve_echo(sock);
	return 0;
}
