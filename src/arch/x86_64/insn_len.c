// SPDX-License-Identifier: MIT
/*
 * x86_64 instruction lengths, for the forms compiled code uses: legacy
 * prefixes, REX, VEX, the one-byte map, the 0f, 0f38 and 0f3a maps, a
 * ModRM with its SIB and displacement, and the immediate the opcode takes.
 * x87, 3DNow! and EVEX are not decoded (0).
 */
#include "../arch.h"

#include <stdbool.h>

/* Bit i of word i / 64: one-byte opcode i takes a ModRM byte. */
static const uint64_t modrm1[4] = {
	/* 00-3f: the first four forms of each ALU op */
	0x0f0f0f0f0f0f0f0full,
	/* 62 63 69 6b */
	(1ull << 0x22) | (1ull << 0x23) | (1ull << 0x29) | (1ull << 0x2b),
	/* 80-8f */
	0xffffull,
	/* c0 c1 c6 c7, d0-d3, f6 f7 fe ff */
	(1ull << 0x00) | (1ull << 0x01) | (1ull << 0x06) | (1ull << 0x07) |
		(0xfull << 0x10) | (1ull << 0x36) | (1ull << 0x37) |
		(1ull << 0x3e) | (1ull << 0x3f),
};

static bool has_modrm1(unsigned int op)
{
	return (modrm1[op >> 6] >> (op & 63)) & 1;
}

/* The immediate of a one-byte opcode; z is 2 or 4 by the 66 prefix. */
static unsigned int imm1(unsigned int op, unsigned int reg, unsigned int z,
			 bool rexw, bool addr32)
{
	if (op < 0x40 && (op & 7) == 4)
		return 1;
	if (op < 0x40 && (op & 7) == 5)
		return z;
	if (op >= 0xa0 && op <= 0xa3)
		return addr32 ? 4 : 8; /* moffs */
	if (op >= 0xb8 && op <= 0xbf)
		return rexw ? 8 : z;
	if ((op >= 0x70 && op <= 0x7f) || (op >= 0xb0 && op <= 0xb7) ||
	    (op >= 0xe0 && op <= 0xe7))
		return 1;
	switch (op) {
	case 0x6a:
	case 0x6b:
	case 0x80:
	case 0x82:
	case 0x83:
	case 0xa8:
	case 0xc0:
	case 0xc1:
	case 0xc6:
	case 0xcd:
	case 0xeb:
		return 1;
	case 0x68:
	case 0x69:
	case 0x81:
	case 0xa9:
	case 0xc7:
	case 0xe8:
	case 0xe9:
		return z;
	case 0xc2:
	case 0xca:
		return 2;
	case 0xc8:
		return 3;
	case 0xf6:
		return reg < 2 ? 1 : 0;
	case 0xf7:
		return reg < 2 ? z : 0;
	default:
		return 0;
	}
}

/* The 0f map: ModRM unless listed; the immediate where one is taken. */
static bool has_modrm2(unsigned int op)
{
	return !((op >= 0x30 && op <= 0x37) || (op >= 0x80 && op <= 0x8f) ||
		 (op >= 0xc8 && op <= 0xcf) || op == 0x05 || op == 0x06 ||
		 op == 0x07 || op == 0x08 || op == 0x09 || op == 0x0b ||
		 op == 0x77 || op == 0xa0 || op == 0xa1 || op == 0xa2 ||
		 op == 0xa8 || op == 0xa9);
}

static unsigned int imm2(unsigned int op, unsigned int z)
{
	if (op >= 0x80 && op <= 0x8f)
		return z; /* jcc rel32 */
	switch (op) {
	case 0x70:
	case 0x71:
	case 0x72:
	case 0x73:
	case 0xa4:
	case 0xac:
	case 0xba:
	case 0xc2:
	case 0xc4:
	case 0xc5:
	case 0xc6:
		return 1;
	default:
		return 0;
	}
}

/* ModRM, SIB and displacement from p; their length. */
static unsigned int modrm_len(const unsigned char *p)
{
	unsigned int mod = p[0] >> 6, rm = p[0] & 7, n = 1;

	if (mod == 3)
		return n;
	if (rm == 4) {
		n++;
		if (mod == 0 && (p[1] & 7) == 5)
			return n + 4;
	}
	if (mod == 0 && rm == 5)
		return n + 4; /* RIP-relative */
	return n + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

unsigned int krseq_arch_insn_len(const unsigned char *insn)
{
	const unsigned char *p = insn;
	unsigned int z = 4, map = 1, op, len;
	bool rexw = false, addr32 = false;

	for (;; p++) {
		if (*p == 0x66)
			z = 2;
		else if (*p == 0x67)
			addr32 = true;
		else if (!(*p == 0xf0 || *p == 0xf2 || *p == 0xf3 ||
			   *p == 0x2e || *p == 0x36 || *p == 0x3e ||
			   *p == 0x26 || *p == 0x64 || *p == 0x65))
			break;
		if (p - insn >= 14)
			return 0;
	}
	if ((*p & 0xf0) == 0x40)
		rexw = *p++ & 8;
	if (*p == 0xc5 || *p == 0xc4) {
		/* VEX: its map, then opcode and ModRM as that map's. */
		if (*p == 0xc5) {
			p += 2;
			map = 2;
		} else {
			map = (p[1] & 0x1f) == 1 ? 2 : (p[1] & 0x1f) + 1;
			p += 3;
		}
		if (map > 4)
			return 0;
		op = *p++;
		len = (unsigned int)(p - insn) + modrm_len(p);
		return len +
		       (map == 4 || (map == 2 && imm2(op, z) == 1) ? 1 : 0);
	}
	if (*p == 0x0f) {
		p++;
		map = 2;
		if (*p == 0x38 || *p == 0x3a)
			map = *p++ == 0x38 ? 3 : 4;
	}
	op = *p++;
	len = (unsigned int)(p - insn);
	if (map == 1) {
		if ((op >= 0xd8 && op <= 0xdf) || op == 0x62)
			return 0; /* x87, EVEX */
		if (has_modrm1(op))
			len += modrm_len(p);
		return len + imm1(op, (p[0] >> 3) & 7, z, rexw, addr32);
	}
	if (map == 2) {
		if (op == 0x0f)
			return 0; /* 3DNow! */
		if (has_modrm2(op))
			len += modrm_len(p);
		return len + imm2(op, z);
	}
	return len + modrm_len(p) + (map == 4 ? 1 : 0);
}
