/**
 * SLIP-0039 paper backups: a master secret split into groups of member shares, each share a
 * mnemonic of 20 or more words from a fixed list of 1024, protected by an RS1024 checksum,
 * with the master secret encrypted under a passphrase before it is split.
 *
 * <p>Why a published standard and not our own share text: a paper backup is the last line of
 * recovery, used when the whole cluster is gone, possibly years later and with other tools.
 * SLIP-0039 is widely implemented, its words survive handwriting, and its checksum catches
 * transcription errors (any error in up to three words). {@code docs/spec/slip39.md} says what
 * we implement and where the reference specification is.
 *
 * <p>Entry point: {@link dev.keyescrow.core.slip39.Slip39} ({@code split}, {@code recover});
 * {@link dev.keyescrow.core.slip39.MnemonicShare} parses and writes one mnemonic. Every
 * refusal is a {@link dev.keyescrow.core.slip39.Slip39Exception} whose
 * {@link dev.keyescrow.core.slip39.Slip39Exception.Reason} names the problem as the
 * specification distinguishes it.
 *
 * <p>Secrets: the master secret, the group and member share values and the passphrase are
 * held in wipeable types; mnemonics, which are secret too, cross the API as {@code char[]},
 * never as {@code String}. Word lookup, checksum and GF(256) interpolation do not branch on or
 * index tables by secret data; the interpolation reuses the core's constant-time Shamir
 * kernel through {@link dev.keyescrow.core.sharing.Shamir}. Randomness is injected.
 *
 * <p>Depends on the JDK (PBKDF2, HMAC), {@code secret}, {@code error} and {@code sharing}; no
 * I/O besides reading the word list from the class path.
 */
package dev.keyescrow.core.slip39;
