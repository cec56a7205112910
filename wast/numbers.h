// Numeric literals of the text format: classification (used by the lexer) and
// conversion to integer bits and IEEE-754 bits (used by parsers and encoders).
//
// Integers: optional sign, decimal or 0x hex digits, single `_` only between
// digits. Floats: decimal/hex with fraction and exponent, inf, nan, nan:0xP.
// Float conversion is correctly rounded (nearest, ties to even) directly to the
// target width: f32 never goes through double. Results are bit patterns, so
// NaN payloads and signs survive. Range errors say "constant out of range".
#pragma once

#include "base/result.h"
#include "wast/token.h"

#include <cstdint>
#include <string_view>

namespace tandem::wast {

// Nat, Int or Float if `text` is a numeric literal, otherwise Reserved.
TokKind classify_number(std::string_view text);

// An unsigned literal (no sign) that fits in `bits` (1..64) bits.
Result<uint64_t> parse_uint(std::string_view text, unsigned bits);

// An iN literal (bits 1..64): unsigned range [0, 2^N-1] or signed range
// [-2^(N-1), 2^(N-1)-1]. Returns the N-bit two's complement pattern,
// zero-extended to 64 bits (`i32 -1` gives 0xffffffff).
Result<uint64_t> parse_int(std::string_view text, unsigned bits);

// Like parse_int, but only the signed range (for sN of component values).
Result<int64_t> parse_sint(std::string_view text, unsigned bits);

// f32/f64 literal to bits. Any integer or float literal is accepted.
Result<uint32_t> parse_f32_bits(std::string_view text);
Result<uint64_t> parse_f64_bits(std::string_view text);

// Token variants: same, with the error located at the token. The token must be
// Nat/Int/Float (others give "unexpected token").
Result<uint64_t> parse_uint(const Token& tok, unsigned bits);
Result<uint64_t> parse_int(const Token& tok, unsigned bits);
Result<int64_t> parse_sint(const Token& tok, unsigned bits);
Result<uint32_t> parse_f32_bits(const Token& tok);
Result<uint64_t> parse_f64_bits(const Token& tok);

} // namespace tandem::wast
