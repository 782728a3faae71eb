#!/usr/bin/env python3
"""Generate test/test-abi.c from libuv's binary-interface table.

Usage: tools/gen-abi-test.py TSV > test/test-abi.c
  TSV: the table measured from libuv's headers (libuv1-linux-x86_64.tsv,
  kept in the project's shared abi/ directory), rows of
    type    NAME         sizeof    alignof
    member  TYPE.MEMBER  offsetof  sizeof     (MEMBER may be nested: a.b)
    const   NAME         value     ((long long)(NAME), as gcc folds it)

The generated cmocka test checks every row against eddy's <uv.h> and reports
each row that differs, by name, before failing; a _Static_assert on each
type's size also breaks the build when a layout is wrong.  It checks too that
uv_loop_size, uv_handle_size and uv_req_size report libuv's sizes.  The
output is committed, so the test never reads the table at run time; rerun
this script when the table changes."""
import os
import re
import sys

# Constants that are doubles: (long long) of INFINITY or NAN is undefined in
# C, so the table holds what gcc happened to fold them to.  The test checks
# the double itself instead.
DOUBLE_CONSTS = {
    'UV_FS_UTIME_NOW': ('9223372036854775807', 'isinf({0}) && {0} > 0',
                        'is not +INFINITY'),
    'UV_FS_UTIME_OMIT': ('0', 'isnan({0})', 'is not NAN'),
}

# uv_handle_type and uv_req_type enumerators and the struct each names, as
# in libuv's UV_HANDLE_TYPE_MAP and UV_REQ_TYPE_MAP.
HANDLE_TYPES = [
    ('UV_ASYNC', 'uv_async_t'), ('UV_CHECK', 'uv_check_t'),
    ('UV_FS_EVENT', 'uv_fs_event_t'), ('UV_FS_POLL', 'uv_fs_poll_t'),
    ('UV_HANDLE', 'uv_handle_t'), ('UV_IDLE', 'uv_idle_t'),
    ('UV_NAMED_PIPE', 'uv_pipe_t'), ('UV_POLL', 'uv_poll_t'),
    ('UV_PREPARE', 'uv_prepare_t'), ('UV_PROCESS', 'uv_process_t'),
    ('UV_STREAM', 'uv_stream_t'), ('UV_TCP', 'uv_tcp_t'),
    ('UV_TIMER', 'uv_timer_t'), ('UV_TTY', 'uv_tty_t'),
    ('UV_UDP', 'uv_udp_t'), ('UV_SIGNAL', 'uv_signal_t'),
]
REQ_TYPES = [
    ('UV_REQ', 'uv_req_t'), ('UV_CONNECT', 'uv_connect_t'),
    ('UV_WRITE', 'uv_write_t'), ('UV_SHUTDOWN', 'uv_shutdown_t'),
    ('UV_UDP_SEND', 'uv_udp_send_t'), ('UV_FS', 'uv_fs_t'),
    ('UV_WORK', 'uv_work_t'), ('UV_GETADDRINFO', 'uv_getaddrinfo_t'),
    ('UV_GETNAMEINFO', 'uv_getnameinfo_t'), ('UV_RANDOM', 'uv_random_t'),
]

IDENT = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
INT = re.compile(r'^-?[0-9]+$')


def die(msg):
    sys.exit('gen-abi-test: ' + msg)


def parse(path):
    types, members, consts = [], [], []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            cols = line.split('\t')
            where = '%s:%d' % (path, n)
            kind = cols[0]
            if kind == 'type' and len(cols) == 4:
                name, size, align = cols[1:]
                if not IDENT.match(name) or not INT.match(size) or \
                        not INT.match(align):
                    die(where + ': bad type row')
                types.append((name, int(size), int(align)))
            elif kind == 'member' and len(cols) == 4:
                name, off, size = cols[1:]
                typ, _, member = name.partition('.')
                if not IDENT.match(typ) or not member or \
                        not all(IDENT.match(p) for p in member.split('.')) or \
                        not INT.match(off) or not INT.match(size):
                    die(where + ': bad member row')
                members.append((typ, member, int(off), int(size)))
            elif kind == 'const' and len(cols) == 3:
                name, value = cols[1:]
                if not IDENT.match(name) or not INT.match(value):
                    die(where + ': bad const row')
                if name in DOUBLE_CONSTS and \
                        value != DOUBLE_CONSTS[name][0]:
                    die(where + ': %s is %s, expected the fold %s; look at '
                        'how the table measured it' %
                        (name, value, DOUBLE_CONSTS[name][0]))
                consts.append((name, value))
            else:
                die(where + ': unknown row: ' + line)
    return types, members, consts


def c_ll(value):
    """A long long literal for value; the most negative needs a form of its
    own, as the literal without its minus sign does not fit."""
    v = int(value)
    if v == -2**63:
        return '(-9223372036854775807LL - 1)'
    return '%dLL' % v


def main():
    if len(sys.argv) != 2:
        die('usage: gen-abi-test.py TSV > test/test-abi.c')
    path = sys.argv[1]
    types, members, consts = parse(path)
    sizes = {name: size for name, size, _ in types}
    for enum, typ in HANDLE_TYPES + REQ_TYPES:
        if typ not in sizes:
            die('the table has no size for %s (%s)' % (typ, enum))
    if 'uv_loop_t' not in sizes:
        die('the table has no size for uv_loop_t')
    int_consts = [(n, v) for n, v in consts if n not in DOUBLE_CONSTS]
    dbl_consts = [(n, v) for n, v in consts if n in DOUBLE_CONSTS]
    nrows = len(types) + len(members) + len(consts)

    o = []
    w = o.append
    w('/* eddy tests — the binary interface of libuv 1.x on Linux x86_64.')
    w(' *')
    w(' * GENERATED FILE, do not edit: regenerate it, from the repository root,')
    w(' * with')
    w(' *   tools/gen-abi-test.py %s > test/test-abi.c'
      % ('../shared/abi/' + os.path.basename(path)))
    w(' * from the table of sizes, alignments, member offsets and constant')
    w(' * values measured on libuv\'s own headers (%d rows).' % nrows)
    w(' *')
    w(' * Every row is checked against eddy\'s <uv.h> at run time and each one')
    w(' * that differs is reported by name before the test fails; a')
    w(' * _Static_assert on every type\'s size also stops the build when a')
    w(' * layout is wrong.  The facts only hold for LP64 glibc Linux on x86_64;')
    w(' * elsewhere the test skips. */')
    w('#include "test-helpers.h"')
    w('')
    w('#include <math.h>')
    w('#include <stdalign.h>')
    w('#include <stdio.h>')
    w('')
    w('#if defined(__linux__) && defined(__x86_64__) && defined(__GLIBC__)')
    w('# define ABI_APPLIES 1')
    w('#else')
    w('# define ABI_APPLIES 0')
    w('#endif')
    w('')
    w('#if ABI_APPLIES')
    w('')
    w('#define ABI_ROWS %d' % nrows)
    w('')
    w('/* ---- sizes: a wrong one fails the build ---- */')
    w('')
    for name, size, _ in types:
        w('_Static_assert(sizeof(%s) == %d, "%s: libuv\'s size is %d");'
          % (name, size, name, size))
    w('')
    w('struct abi_check {')
    w('  const char* row;   /* the row of the table */')
    w('  const char* what;  /* which of its facts */')
    w('  long long libuv;   /* libuv\'s value */')
    w('  long long eddy;    /* eddy\'s, from <uv.h> */')
    w('};')
    w('')
    w('static const struct abi_check type_checks[] = {')
    for name, size, align in types:
        w('    {"type %s", "sizeof", %d, (long long)sizeof(%s)},'
          % (name, size, name))
        w('    {"type %s", "alignof", %d, (long long)alignof(%s)},'
          % (name, align, name))
    w('};')
    w('')
    w('#define MEMBER_SIZE(t, m) sizeof(((t*)0)->m)')
    w('')
    w('static const struct abi_check member_checks[] = {')
    for typ, member, off, size in members:
        row = '%s.%s' % (typ, member)
        w('    {"member %s", "offsetof", %d, (long long)offsetof(%s, %s)},'
          % (row, off, typ, member))
        w('    {"member %s", "sizeof", %d, (long long)MEMBER_SIZE(%s, %s)},'
          % (row, size, typ, member))
    w('};')
    w('')
    w('static const struct abi_check const_checks[] = {')
    for name, value in int_consts:
        w('    {"const %s", "value", %s, (long long)(%s)},'
          % (name, c_ll(value), name))
    w('};')
    w('')
    w('/* Reports every check that differs; returns how many did. */')
    w('static int report(const struct abi_check* c, size_t n) {')
    w('  int bad = 0;')
    w('  size_t i;')
    w('  for (i = 0; i < n; i++) {')
    w('    if (c[i].eddy == c[i].libuv) continue;')
    w('    print_error("abi mismatch: %s: %s is %lld in eddy, %lld in libuv\\n",')
    w('                c[i].row, c[i].what, c[i].eddy, c[i].libuv);')
    w('    bad++;')
    w('  }')
    w('  return bad;')
    w('}')
    w('')
    w('static void types_have_libuvs_size_and_alignment(void** state) {')
    w('  int bad = report(type_checks, ARRAY_LEN(type_checks));')
    w('  (void)state;')
    w('  if (bad) fail_msg("%d type facts differ from libuv\'s", bad);')
    w('}')
    w('')
    w('static void members_have_libuvs_offset_and_size(void** state) {')
    w('  int bad = report(member_checks, ARRAY_LEN(member_checks));')
    w('  (void)state;')
    w('  if (bad) fail_msg("%d member facts differ from libuv\'s", bad);')
    w('}')
    w('')
    w('static void constants_have_libuvs_values(void** state) {')
    w('  int bad = report(const_checks, ARRAY_LEN(const_checks));')
    w('  (void)state;')
    for name, _ in dbl_consts:
        test, what = DOUBLE_CONSTS[name][1:]
        w('  if (!(%s)) {' % test.format('(double)(%s)' % name))
        w('    print_error("abi mismatch: const %s %s\\n");' % (name, what))
        w('    bad++;')
        w('  }')
    w('  if (bad) fail_msg("%d constants differ from libuv\'s", bad);')
    w('}')
    w('')
    w('/* Each row of the table is checked exactly once. */')
    w('static void every_row_is_checked(void** state) {')
    w('  (void)state;')
    w('  assert_int_equal(ARRAY_LEN(type_checks), 2 * %d);' % len(types))
    w('  assert_int_equal(ARRAY_LEN(member_checks), 2 * %d);' % len(members))
    w('  assert_int_equal(ARRAY_LEN(type_checks) / 2 +')
    w('                       ARRAY_LEN(member_checks) / 2 +')
    w('                       ARRAY_LEN(const_checks) + %d,' % len(dbl_consts))
    w('                   ABI_ROWS);')
    w('}')
    w('')
    w('static int check_size(const char* call, size_t eddy, size_t libuv) {')
    w('  if (eddy == libuv) return 0;')
    w('  print_error("abi mismatch: %s is %zu in eddy, %zu in libuv\\n", call,')
    w('              eddy, libuv);')
    w('  return 1;')
    w('}')
    w('')
    w('/* Programs allocate handles and requests of the size these report')
    w(' * (bindings for other languages do), so they must be libuv\'s too. */')
    w('static void size_functions_report_libuvs_sizes(void** state) {')
    w('  int bad = 0;')
    w('  (void)state;')
    w('  bad += check_size("uv_loop_size()", uv_loop_size(), %d);'
      % sizes['uv_loop_t'])
    for enum, typ in HANDLE_TYPES:
        w('  bad += check_size("uv_handle_size(%s)", uv_handle_size(%s), %d);'
          % (enum, enum, sizes[typ]))
    for enum, typ in REQ_TYPES:
        w('  bad += check_size("uv_req_size(%s)", uv_req_size(%s), %d);'
          % (enum, enum, sizes[typ]))
    w('  if (bad) fail_msg("%d size functions differ from libuv\'s", bad);')
    w('}')
    w('')
    w('/* libuv answers a type that is no handle or request with (size_t)-1. */')
    w('static void size_functions_refuse_unknown_types(void** state) {')
    w('  (void)state;')
    w('  assert_int_equal(uv_handle_size(UV_UNKNOWN_HANDLE), (size_t)-1);')
    w('  assert_int_equal(uv_handle_size(UV_FILE), (size_t)-1);')
    w('  assert_int_equal(uv_handle_size(UV_HANDLE_TYPE_MAX), (size_t)-1);')
    w('  assert_int_equal(uv_handle_size((uv_handle_type)1000), (size_t)-1);')
    w('  assert_int_equal(uv_req_size(UV_UNKNOWN_REQ), (size_t)-1);')
    w('  assert_int_equal(uv_req_size(UV_REQ_TYPE_MAX), (size_t)-1);')
    w('  assert_int_equal(uv_req_size((uv_req_type)1000), (size_t)-1);')
    w('}')
    w('')
    w('int main(void) {')
    w('  const struct CMUnitTest tests[] = {')
    w('      cmocka_unit_test(types_have_libuvs_size_and_alignment),')
    w('      cmocka_unit_test(members_have_libuvs_offset_and_size),')
    w('      cmocka_unit_test(constants_have_libuvs_values),')
    w('      cmocka_unit_test(every_row_is_checked),')
    w('      cmocka_unit_test(size_functions_report_libuvs_sizes),')
    w('      cmocka_unit_test(size_functions_refuse_unknown_types),')
    w('  };')
    w('  return cmocka_run_group_tests(tests, NULL, NULL);')
    w('}')
    w('')
    w('#else /* !ABI_APPLIES */')
    w('')
    w('static void abi_is_only_fixed_on_linux_x86_64(void** state) {')
    w('  (void)state;')
    w('  skip();')
    w('}')
    w('')
    w('int main(void) {')
    w('  const struct CMUnitTest tests[] = {')
    w('      cmocka_unit_test(abi_is_only_fixed_on_linux_x86_64),')
    w('  };')
    w('  return cmocka_run_group_tests(tests, NULL, NULL);')
    w('}')
    w('')
    w('#endif /* ABI_APPLIES */')
    sys.stdout.write('\n'.join(o) + '\n')


if __name__ == '__main__':
    main()
