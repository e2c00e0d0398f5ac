/**
 * Byte and text formats of the core: the share text form and canonical JSON. Parsers are
 * strict: unknown versions, wrong lengths, trailing data and non-canonical input are
 * refused with a reason. Specified in {@code docs/spec/}.
 */
package dev.keyescrow.core.format;
