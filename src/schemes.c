// SPDX-License-Identifier: MIT
/*
 * The scheme registry at run time: the rows of <krseq/schemes.h>, then
 * the schemes a program registers, all as struct krseq_scheme.
 */
#include "schemes_internal.h"

#include <errno.h>
#include <string.h>

/* A scheme with nothing to do at interrupt entry or exit. */
const struct krseq_kernel_side krseq_kernel_none = { .name = "none" };

#define ROW(n, nm, q, k, e, x, f, a, b, c, w)                                  \
	[n] = {                                                                \
		.name = nm,                                                    \
		.flags = f,                                                    \
		.kernel = &krseq_kernel_##k,                                   \
		.why = w,                                                      \
		.id = n,                                                       \
		.base = n,                                                     \
		.sizes = { a, b, c },                                          \
	},
static struct krseq_scheme schemes[KRSEQ_MAX_SCHEMES] = { KRSEQ_FOR_EACH_SCHEME(
	ROW) };
#undef ROW
static int nr_schemes = KRSEQ_NR_SCHEMES;
/* The scheme whose kernel side runs for each base scheme. */
static int selected[KRSEQ_MAX_SCHEMES];
static bool seqs_filled;

const struct krseq_kernel_side *krseq_sides[KRSEQ_MAX_SCHEMES];
_Atomic int krseq_nr_sides;

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
_Static_assert(KRSEQ_NR_SCHEMES <= KRSEQ_MAX_SCHEMES, "KRSEQ_MAX_SCHEMES");

/* The built-ins' sequences are the functions of scheme_seqs.c. */
static void fill_builtin_seqs(void)
{
	if (seqs_filled)
		return;
	for (int s = 1; s < KRSEQ_NR_SCHEMES; s++) {
		memcpy(schemes[s].seq, krseq_builtin_seqs[s],
		       sizeof(schemes[s].seq));
		memcpy(schemes[s].seq16, krseq_builtin_seqs16[s],
		       sizeof(schemes[s].seq16));
	}
	seqs_filled = true;
}

const char *krseq_op_name(enum krseq_op op)
{
	return (unsigned int)op < KRSEQ_NR_OPS ? op_names[op] : "?";
}

int krseq_scheme_count(void)
{
	return nr_schemes;
}

const struct krseq_scheme *krseq_scheme_get(int id)
{
	if (id <= 0 || id >= nr_schemes)
		return NULL;
	fill_builtin_seqs();
	return &schemes[id];
}

const char *krseq_scheme_name(int s)
{
	return s > 0 && s < nr_schemes ? schemes[s].name : "?";
}

bool krseq_scheme_has(int s, enum krseq_arch arch, int size)
{
	if (s <= 0 || s >= nr_schemes || (unsigned int)arch >= KRSEQ_NR_ARCHES)
		return false;
	if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16)
		return false;
	return (schemes[s].sizes[arch] >> KRSEQ_SIZE_BIT(size)) & 1;
}

bool krseq_scheme_on(int s, enum krseq_arch arch)
{
	return s > 0 && s < nr_schemes &&
	       (unsigned int)arch < KRSEQ_NR_ARCHES &&
	       schemes[s].sizes[arch] != KRSEQ_SIZES_NONE;
}

krseq_seq_fn krseq_scheme_seq(int id, enum krseq_op op, int size)
{
	const struct krseq_scheme *s = krseq_scheme_get(id);
	int z = size == 1 ? 0 :
		size == 2 ? 1 :
		size == 4 ? 2 :
		size == 8 ? 3 :
			    -1;

	if (!s || z < 0 || (unsigned int)op >= KRSEQ_NR_OPS)
		return NULL;
	return s->seq[z][op];
}

int krseq_scheme_find(const char *name)
{
	for (int s = 1; name && s < nr_schemes; s++)
		if (!strcmp(schemes[s].name, name))
			return s;
	return -ENOENT;
}

static const char *bad_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!n || n > 31)
		return "a name of 1 to 31 characters";
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return "a name of [a-z0-9_] only";
	return NULL;
}

/* The sizes of the ops a registered scheme has here, as a mask. */
static unsigned int sizes_of(const struct krseq_scheme *s)
{
	unsigned int m = 0;

	for (int z = 0; z < 4; z++)
		for (int op = 0; op < KRSEQ_NR_OPS; op++)
			if (s->seq[z][op])
				m |= 1u << z;
	if (s->seq16[0] || s->seq16[1])
		m |= 1u << 4;
	return m;
}

int krseq_scheme_register(const struct krseq_scheme *s)
{
	const unsigned int known =
		KRSEQ_SCHEME_ARMED | KRSEQ_SCHEME_RESTARTS |
		KRSEQ_SCHEME_FIXES_UP | KRSEQ_SCHEME_NO_IRQ_RESTART |
		KRSEQ_SCHEME_CONTROL | KRSEQ_SCHEME_CAUGHT_IRQ |
		KRSEQ_SCHEME_CAUGHT_MIGRATE;
	struct krseq_scheme *n;
	const char *why;
	int base = 0;

	if (!s)
		return krseq_fail(EINVAL, "krseq_scheme_register: no scheme");
	why = bad_name(s->name);
	if (why)
		return krseq_fail(EINVAL,
				  "krseq_scheme_register: \"%s\": a scheme "
				  "needs %s",
				  s->name ? s->name : "(null)", why);
	if (krseq_m.up)
		return krseq_fail(EBUSY,
				  "krseq_scheme_register: %s: register "
				  "schemes before krseq_init()",
				  s->name);
	if (krseq_scheme_find(s->name) > 0)
		return krseq_fail(EEXIST,
				  "krseq_scheme_register: the name %s is "
				  "taken",
				  s->name);
	if (s->flags & ~known)
		return krseq_fail(EINVAL,
				  "krseq_scheme_register: %s: unknown flags "
				  "%#x",
				  s->name, s->flags & ~known);
	if (s->variant_of) {
		base = krseq_scheme_find(s->variant_of);
		if (base < 0)
			return krseq_fail(ENOENT,
					  "krseq_scheme_register: %s is a "
					  "variant of %s, which is no scheme",
					  s->name, s->variant_of);
		base = schemes[base].base;
		if (sizes_of(s))
			return krseq_fail(EINVAL,
					  "krseq_scheme_register: %s: a "
					  "variant runs %s's sequences, not "
					  "its own",
					  s->name, s->variant_of);
	} else if (!sizes_of(s)) {
		return krseq_fail(EINVAL,
				  "krseq_scheme_register: %s has no "
				  "sequence for any op",
				  s->name);
	}
	if (nr_schemes >= KRSEQ_MAX_SCHEMES)
		return krseq_fail(ENOSPC,
				  "krseq_scheme_register: %s: no room for "
				  "more than %d schemes",
				  s->name, KRSEQ_MAX_SCHEMES - 1);
	fill_builtin_seqs();
	n = &schemes[nr_schemes];
	*n = *s;
	n->id = nr_schemes;
	n->base = base ? base : n->id;
	if (!n->kernel)
		n->kernel = &krseq_kernel_none;
	if (!n->why)
		n->why = base ? schemes[base].why : "not written for this op";
	memset(n->sizes, 0, sizeof(n->sizes));
	if (base) {
		memcpy(n->seq, schemes[base].seq, sizeof(n->seq));
		memcpy(n->seq16, schemes[base].seq16, sizeof(n->seq16));
		memcpy(n->sizes, schemes[base].sizes, sizeof(n->sizes));
	} else {
		n->sizes[KRSEQ_ARCH_HERE] = sizes_of(n);
	}
	return nr_schemes++;
}

/*
 * Base scheme s's kernel side as the kernel runs it: a selected variant's
 * in place of it wherever it serves, for RESTART's serves both flavours,
 * and a kernel with other entry code has it for both.
 */
static const struct krseq_kernel_side *side_of(int s)
{
	for (int b = 1; b < nr_schemes; b++)
		if (schemes[b].base == b && selected[b] &&
		    schemes[b].kernel == schemes[s].kernel)
			return schemes[selected[b]].kernel;
	return schemes[s].kernel;
}

/*
 * The kernel sides that run: for each base scheme the selected one's,
 * each side once (RESTART's serves both flavours), in id order.
 */
static void sides_build(void)
{
	int n = 0;

	for (int s = 1; s < nr_schemes; s++) {
		const struct krseq_kernel_side *k;
		bool dup = false;

		if (schemes[s].base != s)
			continue;
		k = side_of(s);
		if (!k->entry && !k->exit)
			continue;
		for (int i = 0; i < n; i++)
			dup |= krseq_sides[i] == k;
		if (!dup)
			krseq_sides[n++] = k;
	}
	atomic_store(&krseq_nr_sides, n);
}

int krseq_sides_setup(void)
{
	fill_builtin_seqs();
	sides_build();
	return 0;
}

int krseq_scheme_select(int id)
{
	const struct krseq_scheme *s = krseq_scheme_get(id);
	sigset_t old;

	if (!s)
		return krseq_fail(EINVAL,
				  "krseq_scheme_select: %d is no scheme", id);
	if (krseq_m.up && krseq_ta.irq_depth)
		return krseq_fail(EBUSY,
				  "krseq_scheme_select: %s: called from an "
				  "interrupt handler",
				  s->name);
	krseq_sigs_block(&old);
	selected[s->base] = id == s->base ? 0 : id;
	sides_build();
	krseq_sigs_restore(&old);
	return 0;
}
