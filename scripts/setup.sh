#!/usr/bin/env bash
# setup.sh: install the Debian 12 packages CambiOS needs to build, test and debug.
#
# Owns the project's host package list (PACKAGES below) and nothing else.
# Idempotent: asks dpkg which packages are missing and only then runs
# apt-get update + install, so a second run costs a few dpkg-query calls.
# On success it writes build/.setup-done holding a hash of the package list;
# `setup.sh --if-needed` (what the Makefile calls) exits at once when that
# stamp matches, so builds don't pay even for the dpkg queries. Editing the
# list changes the hash, which makes the next --if-needed run check again.
#
# Usage: scripts/setup.sh [--if-needed]
# Runs as root (CI) or through sudo; never prompts (DEBIAN_FRONTEND).
set -euo pipefail

PACKAGES=(
	make clang lld llvm                      # toolchain: clang, ld.lld, lld-link
	libclang-rt-14-dev                       # sanitizer and libFuzzer runtimes
	qemu-system-x86 qemu-system-arm          # emulators for both arches
	ovmf qemu-efi-aarch64                    # UEFI firmware: OVMF, AAVMF
	mtools dosfstools                        # FAT boot images
	python3 python3-pytest                   # boot tests (/usr/bin/python3)
	python3-cryptography                     # Ed25519 keys in the fs boot test
	libcmocka-dev                            # host unit tests
	clang-tidy cppcheck                      # make lint: static analysis
	openssl libssl-dev b3sum                 # signing and hashing tools
	frama-c-base why3 cvc4                   # make verify: EVA, WP and its prover
	gdb-multiarch git
)

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stamp="$repo_root/build/.setup-done"

list_hash() {
	printf '%s\n' "${PACKAGES[@]}" | sha256sum | cut -d' ' -f1
}

stamp_is_current() {
	[[ -f "$stamp" ]] && [[ "$(cat "$stamp")" == "$(list_hash)" ]]
}

is_installed() {
	local status
	status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
	[[ "$status" == "install ok installed" ]]
}

missing_packages() {
	local pkg
	for pkg in "${PACKAGES[@]}"; do
		is_installed "$pkg" || echo "$pkg"
	done
}

as_root() {
	if [[ $(id -u) -eq 0 ]]; then
		"$@"
	else
		sudo "$@"
	fi
}

install_packages() {
	echo "setup: installing: $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "$@"
}

main() {
	if [[ "${1:-}" == "--if-needed" ]] && stamp_is_current; then
		exit 0
	fi
	if ! command -v dpkg-query >/dev/null; then
		echo "setup: dpkg-query not found; this script supports Debian 12 only" >&2
		exit 1
	fi
	local missing
	mapfile -t missing < <(missing_packages)
	if [[ ${#missing[@]} -gt 0 ]]; then
		install_packages "${missing[@]}"
	fi
	mkdir -p "$(dirname "$stamp")"
	list_hash >"$stamp"
	echo "setup: all ${#PACKAGES[@]} packages present"
}

main "$@"
