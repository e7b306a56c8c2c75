/* SPDX-License-Identifier: MIT */
/*
 * A per-CPU value of 1, 2, 4, 8 or 16 bytes, read and written as the
 * integer of that size (not bytewise: s390x is big-endian), zero-extended.
 * Volatile: the explorer's adversary changes a copy under a running op.
 */
#ifndef KRSEQ_SIZED_H
#define KRSEQ_SIZED_H

#include <stdint.h>

static inline unsigned __int128 krseq_load_sized(const void *p, int size)
{
	switch (size) {
	case 1:
		return *(const volatile uint8_t *)p;
	case 2:
		return *(const volatile uint16_t *)p;
	case 4:
		return *(const volatile uint32_t *)p;
	case 8:
		return *(const volatile uint64_t *)p;
	default:
		return *(const volatile unsigned __int128 *)p;
	}
}

static inline void krseq_store_sized(void *p, int size, unsigned __int128 v)
{
	switch (size) {
	case 1:
		*(volatile uint8_t *)p = (uint8_t)v;
		break;
	case 2:
		*(volatile uint16_t *)p = (uint16_t)v;
		break;
	case 4:
		*(volatile uint32_t *)p = (uint32_t)v;
		break;
	case 8:
		*(volatile uint64_t *)p = (uint64_t)v;
		break;
	default:
		*(volatile unsigned __int128 *)p = v;
		break;
	}
}

#endif /* KRSEQ_SIZED_H */
