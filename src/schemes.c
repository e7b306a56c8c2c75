// SPDX-License-Identifier: MIT
/* The scheme and op registry of <krseq/schemes.h>, at run time. */
#include <krseq/schemes.h>

#include <stddef.h>

#define ROW(n, name, q, e, x, f, a, b, c, why)                                 \
	[n] = { name, f, { a, b, c }, why },
const struct krseq_scheme krseq_schemes[KRSEQ_NR_SCHEMES] = {
	KRSEQ_FOR_EACH_SCHEME(ROW)
};
#undef ROW

#define ARCH_NAME(arch, ARCH) #arch,
const char *const krseq_arch_names[KRSEQ_NR_ARCHES] = { KRSEQ_FOR_EACH_ARCH(
	ARCH_NAME) };
#undef ARCH_NAME

#define OP_NAME(op, OP) #op,
static const char *const op_names[KRSEQ_NR_OPS] = { KRSEQ_FOR_EACH_OP(
	OP_NAME) };
#undef OP_NAME

/* The masks' values agree with the cells KRSEQ_IF_CELL reads. */
#define BIT(c) c,
#define CELLS_VALUE(cells) CELLS_VALUE_(cells(BIT) 0)
#define CELLS_VALUE_(...) CELLS_SUM(__VA_ARGS__)
#define CELLS_SUM(a, b, c, d, e, z) (a | b << 1 | c << 2 | d << 3 | e << 4)
_Static_assert(CELLS_VALUE(KRSEQ__CELLS_KRSEQ_SIZES_ALL) == KRSEQ_SIZES_ALL,
	       "KRSEQ_SIZES_ALL");
_Static_assert(CELLS_VALUE(KRSEQ__CELLS_KRSEQ_SIZES_NONE) == KRSEQ_SIZES_NONE,
	       "KRSEQ_SIZES_NONE");
_Static_assert(CELLS_VALUE(KRSEQ__CELLS_KRSEQ_SIZES_NO_1_2) ==
		       KRSEQ_SIZES_NO_1_2,
	       "KRSEQ_SIZES_NO_1_2");

const char *krseq_op_name(enum krseq_op op)
{
	return (unsigned int)op < KRSEQ_NR_OPS ? op_names[op] : "?";
}

const char *krseq_scheme_name(int s)
{
	return s > 0 && s < KRSEQ_NR_SCHEMES ? krseq_schemes[s].name : "?";
}

bool krseq_scheme_has(int s, enum krseq_arch arch, int size)
{
	if (s <= 0 || s >= KRSEQ_NR_SCHEMES ||
	    (unsigned int)arch >= KRSEQ_NR_ARCHES)
		return false;
	if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16)
		return false;
	return (krseq_schemes[s].sizes[arch] >> KRSEQ_SIZE_BIT(size)) & 1;
}

bool krseq_scheme_on(int s, enum krseq_arch arch)
{
	return s > 0 && s < KRSEQ_NR_SCHEMES &&
	       (unsigned int)arch < KRSEQ_NR_ARCHES &&
	       krseq_schemes[s].sizes[arch] != KRSEQ_SIZES_NONE;
}
