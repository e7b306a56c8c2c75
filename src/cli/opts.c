// SPDX-License-Identifier: MIT
/* The krseq command's option and list parser (opts.h). */
#include "opts.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "krseq %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(krseq %s --help lists the options)\n", cmd);
	return 2;
}

static bool parse_number(const char *cmd, const struct cli_opt *o,
			 const char *arg)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || v < o->min ||
	    v > o->max) {
		cli_usage_error(cmd,
				"%s wants a whole number from %lu to %lu, "
				"not '%s'",
				o->name, o->min, o->max, arg);
		return false;
	}
	*(unsigned long *)o->dest = v;
	return true;
}

static bool avail(const struct cli_names *names, int v)
{
	return !names->avail || (names->avail & (1u << v));
}

unsigned int cli_names_all(const struct cli_names *names)
{
	unsigned int m = 0;

	for (int v = 0; v < names->n; v++)
		if (names->names[v] && avail(names, v))
			m |= 1u << v;
	return m;
}

void cli_names_text(const struct cli_names *names, bool list, char *buf,
		    size_t size)
{
	buf[0] = '\0';
	for (int v = 0; v < names->n; v++)
		if (names->names[v] && avail(names, v))
			snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
				 buf[0] ? ", " : "", names->names[v]);
	if (list)
		snprintf(buf + strlen(buf), size - strlen(buf), ", all");
}

/* One name of names[] as its value, or -1 after a message. */
static int lookup(const char *cmd, const char *opt, const char *item,
		  size_t len, const struct cli_names *names, bool list)
{
	char values[512];

	for (int v = 0; v < names->n; v++) {
		if (!names->names[v] || strlen(names->names[v]) != len ||
		    strncmp(item, names->names[v], len))
			continue;
		if (avail(names, v))
			return v;
		cli_usage_error(cmd, "%s: '%.*s' is not available on %s", opt,
				(int)len, item, CLI_ARCH);
		return -1;
	}
	cli_names_text(names, list, values, sizeof(values));
	cli_usage_error(cmd, "%s: unknown value '%.*s' (%s)", opt, (int)len,
			item, values);
	return -1;
}

bool cli_parse_list(const char *cmd, const char *opt, const char *arg,
		    const struct cli_names *names, unsigned int *mask)
{
	unsigned int m = 0;
	const char *p = arg;

	if (!*arg) {
		cli_usage_error(cmd, "%s: empty list", opt);
		return false;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		int v;

		if (!len) {
			cli_usage_error(cmd, "%s: empty item in '%s'", opt,
					arg);
			return false;
		}
		if (len == 3 && !strncmp(p, "all", 3)) {
			m |= cli_names_all(names);
		} else {
			v = lookup(cmd, opt, p, len, names, true);
			if (v < 0)
				return false;
			m |= 1u << v;
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	*mask |= m;
	return true;
}

static const struct cli_opt *find(const struct cli_opt *opts, const char *a,
				  size_t len)
{
	for (; opts->name; opts++)
		if (strlen(opts->name) == len && !strncmp(a, opts->name, len))
			return opts;
	return NULL;
}

/* Stores the value of o; false after a message. */
static bool take(const char *cmd, const struct cli_opt *o, const char *val)
{
	int v;

	switch (o->kind) {
	case CLI_NUMBER:
		return parse_number(cmd, o, val);
	case CLI_LIST:
		return cli_parse_list(cmd, o->name, val, o->names, o->dest);
	case CLI_CHOICE:
		if (!*val) {
			cli_usage_error(cmd, "%s wants a value", o->name);
			return false;
		}
		v = lookup(cmd, o->name, val, strlen(val), o->names, false);
		if (v < 0)
			return false;
		*(int *)o->dest = v;
		return true;
	case CLI_OUTPUT:
		((struct cli_output *)o->dest)->opt = o->name;
		((struct cli_output *)o->dest)->path = val;
		/* fallthrough */
	case CLI_STRING:
		if (!*val) {
			cli_usage_error(cmd, "%s wants a value", o->name);
			return false;
		}
		if (o->kind == CLI_STRING)
			*(const char **)o->dest = val;
		return true;
	default:
		*(bool *)o->dest = true;
		return true;
	}
}

int cli_parse(const char *cmd, int argc, char **argv,
	      const struct cli_opt *opts, void (*help)(FILE *f))
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq, *val;
		const struct cli_opt *o;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			help(stdout);
			return 0;
		}
		if (a[0] != '-' || !a[1])
			return cli_usage_error(cmd, "unexpected argument '%s'",
					       a);
		eq = strchr(a, '=');
		o = find(opts, a, eq ? (size_t)(eq - a) : strlen(a));
		if (!o)
			return cli_usage_error(
				cmd, "unknown option '%.*s'",
				eq ? (int)(eq - a) : (int)strlen(a), a);
		if (o->kind == CLI_FLAG) {
			if (eq)
				return cli_usage_error(cmd, "%s takes no value",
						       o->name);
			val = "";
		} else if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2)) {
			/* An option never takes the next option as its value. */
			val = argv[++i];
		} else {
			return cli_usage_error(cmd, "%s wants a value",
					       o->name);
		}
		if (!take(cmd, o, val))
			return 2;
	}
	return -1;
}

/*
 * Every file is opened before any is truncated, and one this call created
 * is removed again if another cannot be opened: a bad --plot leaves an
 * existing --csv file as it was.
 */
int cli_open_outputs(const char *cmd, const struct cli_opt *opts)
{
	const struct cli_opt *o, *p;
	bool created[16] = { false };
	int fd[16], i = 0, err = 0;

	for (o = opts; o->name && !err; o++) {
		struct cli_output *out = o->dest;

		if (o->kind != CLI_OUTPUT || !out->path)
			continue;
		if (i == 16) {
			err = EMFILE;
			break;
		}
		fd[i] = open(out->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			     0666);
		created[i] = fd[i] >= 0;
		if (fd[i] < 0 && errno == EEXIST)
			fd[i] = open(out->path, O_WRONLY | O_CLOEXEC);
		if (fd[i] < 0) {
			err = errno;
			break;
		}
		i++;
	}
	if (err) {
		fprintf(stderr, "krseq %s: %s: cannot open '%s': %s\n", cmd,
			o->name, ((struct cli_output *)o->dest)->path,
			strerror(err));
		for (p = opts, i = 0; p < o; p++) {
			if (p->kind != CLI_OUTPUT ||
			    !((struct cli_output *)p->dest)->path)
				continue;
			close(fd[i]);
			if (created[i])
				unlink(((struct cli_output *)p->dest)->path);
			i++;
		}
		return 1;
	}
	for (p = opts, i = 0; p->name; p++) {
		struct cli_output *out = p->dest;

		if (p->kind != CLI_OUTPUT || !out->path)
			continue;
		/* A FIFO or a terminal cannot be truncated, and need not be. */
		if (ftruncate(fd[i], 0) && errno != EINVAL)
			err = errno;
		out->f = err ? NULL : fdopen(fd[i], "w");
		if (!out->f) {
			fprintf(stderr, "krseq %s: %s: cannot open '%s': %s\n",
				cmd, p->name, out->path,
				strerror(err ? err : errno));
			return 1;
		}
		i++;
	}
	return -1;
}

bool cli_close_output(const char *cmd, struct cli_output *out)
{
	bool ok;

	if (!out->f)
		return true;
	ok = !ferror(out->f);
	ok = !fclose(out->f) && ok;
	out->f = NULL;
	if (!ok)
		fprintf(stderr, "krseq %s: %s: writing '%s': %s\n", cmd,
			out->opt, out->path, strerror(errno));
	return ok;
}
