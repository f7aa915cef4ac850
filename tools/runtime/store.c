// SPDX-License-Identifier: GPL-2.0
/*
 * libssnsrt: the record store. A record is a JSON object in a file of its
 * own, DIR/KEY[SUFFIX]. It is written to a hidden temporary file in the
 * same directory (".KEY[SUFFIX].tmpPID"), synced, and renamed over the
 * record, which the kernel does atomically; then the directory is synced.
 * So the record is always the old one or the new one, whenever the writer
 * dies, and a temporary file a dead writer left is never read or listed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "quote.h"
#include "runtime.h"

#define RECORD_MAX	(1 << 20)	/* bytes: a larger file is not ours */

static bool plain_byte(unsigned char c, bool first)
{
	if (c == '.')
		return !first;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Where name ends in ".tmp" and digits, the index of that '.'; else -1. */
static ssize_t old_tmp_at(const char *name, size_t n)
{
	size_t i = n;

	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	if (i < 4 || strncmp(name + i - 4, ".tmp", 4))
		return -1;
	return (ssize_t)(i - 4);
}

/*
 * key -> file name: bytes outside [A-Za-z0-9_.-], a leading '.' and the
 * '.' of a ".tmp[DIGITS]" ending (the temporary files of older versions)
 * as %XX
 */
static char *encode_key(const char *key)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n, i, o = 0;
	ssize_t tmp;
	char *s;

	n = key ? strlen(key) : 0;
	if (!n || n > RT_KEY_MAX)
		return NULL;
	s = malloc(3 * n + 1);
	if (!s)
		return NULL;
	tmp = old_tmp_at(key, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)key[i];

		if (plain_byte(c, i == 0) && (ssize_t)i != tmp) {
			s[o++] = (char)c;
		} else {
			s[o++] = '%';
			s[o++] = hex[c >> 4];
			s[o++] = hex[c & 15];
		}
	}
	s[o] = '\0';
	return s;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * file name (without the suffix) -> key; NULL when it is not a name this
 * store writes (decoded and encoded again, it must come back the same)
 */
static char *decode_key(const char *name, size_t n)
{
	char *s = malloc(n + 1), *again;
	size_t i, o = 0;
	int hi, lo;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		hi = lo = -1;
		if (name[i] == '%' && i + 2 < n) {
			hi = hexval(name[i + 1]);
			lo = hexval(name[i + 2]);
		}
		if (name[i] != '%') {
			s[o++] = name[i];
		} else if (hi < 0 || lo < 0 || !(hi | lo)) {
			free(s);
			return NULL;
		} else {
			s[o++] = (char)(hi << 4 | lo);
			i += 2;
		}
	}
	s[o] = '\0';
	again = encode_key(s);
	if (!again || strlen(again) != n || memcmp(again, name, n)) {
		free(s);
		s = NULL;
	}
	free(again);
	return s;
}

static int mkdir_p(const char *path, mode_t mode)
{
	char *buf = strdup(path), *p;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	for (p = buf + 1; *p && !rc; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			rc = -errno;
		*p = '/';
	}
	if (!rc && mkdir(buf, mode) && errno != EEXIST)
		rc = -errno;
	free(buf);
	return rc;
}

int rt_store_open(struct rt_store *s, const char *dir, const char *suffix,
		  mode_t mode, struct rt_err *e)
{
	size_t n = strlen(dir);
	int rc;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	s->suffix = suffix ? suffix : "";
	s->dir = strndup(dir, n);
	if (!s->dir)
		return rt_fail(e, RT_EIO, -ENOMEM, "out of memory", NULL);
	rc = mode ? mkdir_p(s->dir, mode) : 0;
	if (rc) {
		rt_fail(e, RT_EIO, rc, "cannot create the state directory",
			"%s: %s", SSNS_QUOTE(s->dir), strerror(-rc));
		rt_store_close(s);
		return -1;
	}
	return 0;
}

void rt_store_close(struct rt_store *s)
{
	free(s->dir);
	s->dir = NULL;
}

/* dir/PREFIX ENCODED-KEY SUFFIX TAIL */
static char *store_name(const struct rt_store *s, const char *key,
			const char *prefix, const char *tail)
{
	char *k = encode_key(key), *p;

	if (!k)
		return NULL;
	if (asprintf(&p, "%s/%s%s%s%s", s->dir, prefix, k, s->suffix,
		     tail) < 0)
		p = NULL;
	free(k);
	return p;
}

char *rt_store_path(const struct rt_store *s, const char *key)
{
	return store_name(s, key, "", "");
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd))
		rc = -errno;
	close(fd);
	return rc;
}

int rt_store_write(const struct rt_store *s, const char *key,
		   json_object *o, struct rt_err *e)
{
	char *path, *tmp, tail[32];
	const char *text;
	int fd, rc;

	if (!key || !*key || strlen(key) > RT_KEY_MAX)
		return rt_fail(e, RT_EIO, -EINVAL, "bad record name",
			       "%s: want 1 to %d bytes", SSNS_QUOTE(key),
			       RT_KEY_MAX);
	snprintf(tail, sizeof(tail), ".tmp%d", (int)getpid());
	path = rt_store_path(s, key);
	tmp = store_name(s, key, ".", tail);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!path || !tmp || !text) {
		free(path);
		free(tmp);
		return rt_fail(e, RT_EIO, -ENOMEM, "out of memory", NULL);
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0) {
		rc = -errno;
		goto fail;
	}
	rc = write_all(fd, text, strlen(text));
	if (!rc)
		rc = write_all(fd, "\n", 1);
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		unlink(tmp);
		goto fail;
	}
	sync_dir(s->dir);	/* the rename is done; this only makes it last */
	free(tmp);
	free(path);
	return 0;
fail:
	rt_fail(e, RT_EIO, rc, "cannot write a record", "%s: %s",
		SSNS_QUOTE(path), strerror(-rc));
	free(tmp);
	free(path);
	return -1;
}

/* The whole file at fd into *buf (len bytes), at most RECORD_MAX. */
static int read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 0;
	char *nb;
	ssize_t n;

	*buf = NULL;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			if (cap > RECORD_MAX)
				return -EFBIG;
			nb = realloc(*buf, cap ? 2 * cap : 4096);
			if (!nb)
				return -ENOMEM;
			*buf = nb;
			cap = cap ? 2 * cap : 4096;
		}
		n = read(fd, *buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		*len += (size_t)n;
	}
}

/* One JSON object and blanks after it, or NULL. */
static json_object *parse_record(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *o = NULL;
	size_t i;

	if (!tok || len > RECORD_MAX)
		goto out;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    json_object_get_type(o) != json_type_object)
		goto bad;
	for (i = (size_t)tok->char_offset; i < len; i++)
		if (!strchr(" \t\r\n", buf[i]) || !buf[i])
			goto bad;
	goto out;
bad:
	json_object_put(o);
	o = NULL;
out:
	json_tokener_free(tok);
	return o;
}

int rt_store_read(const struct rt_store *s, const char *key,
		  json_object **out, struct rt_err *e)
{
	char *path = rt_store_path(s, key), *buf;
	size_t len;
	int fd, rc;

	*out = NULL;
	if (!path)
		return rt_fail(e, RT_EIO, -EINVAL, "bad record name", "%s",
			       SSNS_QUOTE(key));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		free(path);
		return 0;
	}
	rc = fd < 0 ? -errno : read_all(fd, &buf, &len);
	if (fd >= 0) {
		close(fd);
		if (!rc && !(*out = parse_record(buf, len)))
			rc = -EINVAL;
		free(buf);
	}
	if (rc == -EINVAL || rc == -EFBIG)
		rt_fail(e, RT_ECORRUPT, rc, "corrupt record",
			"%s: not a JSON object", SSNS_QUOTE(path));
	else if (rc)
		rt_fail(e, RT_EIO, rc, "cannot read a record", "%s: %s",
			SSNS_QUOTE(path), strerror(-rc));
	free(path);
	return rc ? -1 : 1;
}

int rt_store_remove(const struct rt_store *s, const char *key)
{
	char *path = rt_store_path(s, key);
	int rc = 0;

	if (!path)
		return -EINVAL;
	if (unlink(path) && errno != ENOENT)
		rc = -errno;
	free(path);
	return rc;
}

int rt_store_keys(const struct rt_store *s, char ***out, size_t *count)
{
	size_t sl = strlen(s->suffix), n, cnt = 0;
	char **v = NULL, **nv, *k;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	*out = NULL;
	*count = 0;
	d = opendir(s->dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		n = strlen(de->d_name);
		/* hidden: the temporary files; NAME.tmp[PID]: older ones */
		if (de->d_name[0] == '.' || old_tmp_at(de->d_name, n) >= 0 ||
		    n <= sl ||
		    strcmp(de->d_name + n - sl, s->suffix))
			continue;
		k = decode_key(de->d_name, n - sl);
		if (!k)
			continue;	/* not a name this store writes */
		nv = realloc(v, (cnt + 1) * sizeof(*v));
		if (!nv) {
			free(k);
			rc = -ENOMEM;
			break;
		}
		v = nv;
		v[cnt++] = k;
	}
	closedir(d);
	if (rc) {
		rt_strv_free(v, cnt);
		return rc;
	}
	*out = v;
	*count = cnt;
	return 0;
}

void rt_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char *rt_rec_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    json_object_get_type(v) != json_type_string)
		return NULL;
	return strdup(json_object_get_string(v));
}

uint64_t rt_rec_u64(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	return (uint64_t)json_object_get_int64(v);
}

int rt_lock(const char *path, struct rt_err *e)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 || flock(fd, LOCK_EX)) {
		rt_fail(e, RT_EIO, -errno, "cannot lock the state directory",
			"%s: %s", SSNS_QUOTE(path), strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

void rt_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* releases the flock */
}
