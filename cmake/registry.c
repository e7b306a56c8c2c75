/* SPDX-License-Identifier: MIT */
/*
 * The registry of <krseq/schemes.h> as data for the build: registry.cmake
 * preprocesses this file with the tree's C compiler (the cross compiler in
 * a cross tree, so HERE is that arch's column as the library sees it) and
 * reads the words after the marker.
 */
#include <krseq/schemes.h>

/* clang-format off */
#define ARCH_WORD(arch, ARCH) arch
#define OP_WORD(op, OP) op
#define CELL_WORD(bit) bit
#define CELL_WORDS(mask) CELL_WORDS_(mask)
#define CELL_WORDS_(mask) KRSEQ__CELLS_##mask(CELL_WORD)
/* The columns a, b, c are the arches in KRSEQ_FOR_EACH_ARCH's order. */
#define SCHEME_WORDS(n, name, q, k, e, x, f, a, b, c, why)                     \
	SCHEME n name KERNEL k HERE CELL_WORDS(KRSEQ_SCHEME_SIZES_HERE(n))     \
		COLUMNS CELL_WORDS(a) CELL_WORDS(b) CELL_WORDS(c) WHY why

krseq_registry_words
ARCHES KRSEQ_FOR_EACH_ARCH(ARCH_WORD)
OPS KRSEQ_FOR_EACH_OP(OP_WORD)
KRSEQ_FOR_EACH_SCHEME(SCHEME_WORDS)
/* clang-format on */
