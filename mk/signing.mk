# signing.mk: keys, the compiled-in public key, and signed boot modules.
#
# The kernel holds one Ed25519 public key (BOOTSTRAP_PUBKEY) and accepts a
# boot module only if its ARCSIG trailer verifies against it. By default the
# build makes a development key pair under build/keys/ (never committed,
# never in the image: only the public half is compiled in). Bring your own:
#   BOOTSTRAP_PUBKEY=path   raw 32-byte key or 40-byte CKEY file
#   SIGNING_KEY=path        a seed file made by `cambios-sign keygen`, or
#   SIGNER_CMD='command'    gets the 32-byte BLAKE3 hash on stdin, writes the
#                           64-byte raw Ed25519 signature on stdout
# Every signature is verified against BOOTSTRAP_PUBKEY before it is used;
# one that does not verify fails the build.

SIGN_TOOL := $(HOST_BUILD)/tools/cambios-sign
SIGN_TOOL_SRCS := tools/cambios-sign.c $(call components,arcsig crypto)
TOOL_CFLAGS := -std=c17 -O2 -g $(WARNINGS) -Iinclude -Ilib
DEV_KEYS := build/keys

ifeq ($(origin BOOTSTRAP_PUBKEY),undefined)
BOOTSTRAP_PUBKEY := $(DEV_KEYS)/bootstrap_pubkey.bin
SIGNING_KEY ?= $(DEV_KEYS)/dev-seed.bin
else ifeq ($(SIGNING_KEY)$(SIGNER_CMD),)
$(error BOOTSTRAP_PUBKEY=$(BOOTSTRAP_PUBKEY) needs SIGNING_KEY=seed-file or SIGNER_CMD='command' to sign the modules for that key)
endif
SIGNER_CMD ?=
# The command travels in the environment, so its quotes reach the shell intact.
export SIGNER_CMD
SIGN_WITH := $(if $(SIGNER_CMD),--signer-cmd "$$SIGNER_CMD",--key $(SIGNING_KEY))

$(SIGN_TOOL): $(SIGN_TOOL_SRCS) $(wildcard lib/crypto/*.h) lib/arcsig.h mk/signing.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(TOOL_CFLAGS) $(SIGN_TOOL_SRCS) -o $@

$(DEV_KEYS)/bootstrap_pubkey.bin: | $(SIGN_TOOL)
	@mkdir -p $(DEV_KEYS)
	$(SIGN_TOOL) keygen --seed-out $(DEV_KEYS)/dev-seed.bin --pubkey-out $@

$(DEV_KEYS)/dev-seed.bin: | $(DEV_KEYS)/bootstrap_pubkey.bin

# Regenerated on every build but replaced only when the key changed, so a
# new BOOTSTRAP_PUBKEY rebuilds the kernel and re-signs every module.
KEY_HEADER := $(BUILD)/generated/bootstrap_pubkey.h
$(KEY_HEADER): $(BOOTSTRAP_PUBKEY) $(SIGN_TOOL) FORCE
	@mkdir -p $(dir $@)
	$(Q)$(SIGN_TOOL) pubkey-to-c --pubkey $(BOOTSTRAP_PUBKEY) -o $@.new
	$(Q)cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

# What a signed module needs besides its file, and how it is made.
SIGN_INPUTS := $(KEY_HEADER) $(if $(SIGNER_CMD),,$(SIGNING_KEY))
define sign_module
	@mkdir -p $(dir $@)
	@echo "  SIGN    $@"
	$(Q)$(SIGN_TOOL) sign $(SIGN_WITH) --pubkey $(BOOTSTRAP_PUBKEY) $< -o $@
endef

$(BUILD)/modules-signed/%: $(BUILD)/modules/% $(SIGN_INPUTS)
	$(sign_module)

.PHONY: FORCE
FORCE:
