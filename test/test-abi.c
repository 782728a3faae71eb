/* eddy tests — the binary interface of libuv 1.x on Linux x86_64.
 *
 * GENERATED FILE, do not edit: regenerate it, from the repository root,
 * with
 *   tools/gen-abi-test.py ../shared/abi/libuv1-linux-x86_64.tsv > test/test-abi.c
 * from the table of sizes, alignments, member offsets and constant
 * values measured on libuv's own headers (548 rows).
 *
 * Every row is checked against eddy's <uv.h> at run time and each one
 * that differs is reported by name before the test fails; a
 * _Static_assert on every type's size also stops the build when a
 * layout is wrong.  The facts only hold for LP64 glibc Linux on x86_64;
 * elsewhere the test skips. */
#include "test-helpers.h"

#include <math.h>
#include <stdalign.h>
#include <stdio.h>

#if defined(__linux__) && defined(__x86_64__) && defined(__GLIBC__)
# define ABI_APPLIES 1
#else
# define ABI_APPLIES 0
#endif

#if ABI_APPLIES

#define ABI_ROWS 548

/* ---- sizes: a wrong one fails the build ---- */

_Static_assert(sizeof(uv_async_t) == 128, "uv_async_t: libuv's size is 128");
_Static_assert(sizeof(uv_barrier_t) == 32, "uv_barrier_t: libuv's size is 32");
_Static_assert(sizeof(uv_buf_t) == 16, "uv_buf_t: libuv's size is 16");
_Static_assert(sizeof(uv_check_t) == 120, "uv_check_t: libuv's size is 120");
_Static_assert(sizeof(uv_cond_t) == 48, "uv_cond_t: libuv's size is 48");
_Static_assert(sizeof(uv_connect_t) == 96, "uv_connect_t: libuv's size is 96");
_Static_assert(sizeof(uv_cpu_info_t) == 56, "uv_cpu_info_t: libuv's size is 56");
_Static_assert(sizeof(uv_dir_t) == 56, "uv_dir_t: libuv's size is 56");
_Static_assert(sizeof(uv_dirent_t) == 16, "uv_dirent_t: libuv's size is 16");
_Static_assert(sizeof(uv_dirent_type_t) == 4, "uv_dirent_type_t: libuv's size is 4");
_Static_assert(sizeof(uv_env_item_t) == 16, "uv_env_item_t: libuv's size is 16");
_Static_assert(sizeof(uv_fs_event_t) == 136, "uv_fs_event_t: libuv's size is 136");
_Static_assert(sizeof(uv_fs_poll_t) == 104, "uv_fs_poll_t: libuv's size is 104");
_Static_assert(sizeof(uv_fs_t) == 440, "uv_fs_t: libuv's size is 440");
_Static_assert(sizeof(uv_getaddrinfo_t) == 160, "uv_getaddrinfo_t: libuv's size is 160");
_Static_assert(sizeof(uv_getnameinfo_t) == 1320, "uv_getnameinfo_t: libuv's size is 1320");
_Static_assert(sizeof(uv_gid_t) == 4, "uv_gid_t: libuv's size is 4");
_Static_assert(sizeof(uv_group_t) == 24, "uv_group_t: libuv's size is 24");
_Static_assert(sizeof(uv_handle_t) == 96, "uv_handle_t: libuv's size is 96");
_Static_assert(sizeof(uv_idle_t) == 120, "uv_idle_t: libuv's size is 120");
_Static_assert(sizeof(uv_interface_address_t) == 80, "uv_interface_address_t: libuv's size is 80");
_Static_assert(sizeof(uv_key_t) == 4, "uv_key_t: libuv's size is 4");
_Static_assert(sizeof(uv_lib_t) == 16, "uv_lib_t: libuv's size is 16");
_Static_assert(sizeof(uv_loop_t) == 848, "uv_loop_t: libuv's size is 848");
_Static_assert(sizeof(uv_metrics_t) == 128, "uv_metrics_t: libuv's size is 128");
_Static_assert(sizeof(uv_mutex_t) == 40, "uv_mutex_t: libuv's size is 40");
_Static_assert(sizeof(uv_once_t) == 4, "uv_once_t: libuv's size is 4");
_Static_assert(sizeof(uv_os_fd_t) == 4, "uv_os_fd_t: libuv's size is 4");
_Static_assert(sizeof(uv_os_sock_t) == 4, "uv_os_sock_t: libuv's size is 4");
_Static_assert(sizeof(uv_passwd_t) == 40, "uv_passwd_t: libuv's size is 40");
_Static_assert(sizeof(uv_pid_t) == 4, "uv_pid_t: libuv's size is 4");
_Static_assert(sizeof(uv_pipe_t) == 264, "uv_pipe_t: libuv's size is 264");
_Static_assert(sizeof(uv_poll_t) == 160, "uv_poll_t: libuv's size is 160");
_Static_assert(sizeof(uv_prepare_t) == 120, "uv_prepare_t: libuv's size is 120");
_Static_assert(sizeof(uv_process_options_t) == 64, "uv_process_options_t: libuv's size is 64");
_Static_assert(sizeof(uv_process_t) == 136, "uv_process_t: libuv's size is 136");
_Static_assert(sizeof(uv_random_t) == 144, "uv_random_t: libuv's size is 144");
_Static_assert(sizeof(uv_req_t) == 64, "uv_req_t: libuv's size is 64");
_Static_assert(sizeof(uv_rusage_t) == 144, "uv_rusage_t: libuv's size is 144");
_Static_assert(sizeof(uv_rwlock_t) == 56, "uv_rwlock_t: libuv's size is 56");
_Static_assert(sizeof(uv_sem_t) == 32, "uv_sem_t: libuv's size is 32");
_Static_assert(sizeof(uv_shutdown_t) == 80, "uv_shutdown_t: libuv's size is 80");
_Static_assert(sizeof(uv_signal_t) == 152, "uv_signal_t: libuv's size is 152");
_Static_assert(sizeof(uv_stat_t) == 160, "uv_stat_t: libuv's size is 160");
_Static_assert(sizeof(uv_statfs_t) == 88, "uv_statfs_t: libuv's size is 88");
_Static_assert(sizeof(uv_stdio_container_t) == 16, "uv_stdio_container_t: libuv's size is 16");
_Static_assert(sizeof(uv_stream_t) == 248, "uv_stream_t: libuv's size is 248");
_Static_assert(sizeof(uv_tcp_t) == 248, "uv_tcp_t: libuv's size is 248");
_Static_assert(sizeof(uv_thread_options_t) == 16, "uv_thread_options_t: libuv's size is 16");
_Static_assert(sizeof(uv_thread_t) == 8, "uv_thread_t: libuv's size is 8");
_Static_assert(sizeof(uv_timer_t) == 152, "uv_timer_t: libuv's size is 152");
_Static_assert(sizeof(uv_timespec64_t) == 16, "uv_timespec64_t: libuv's size is 16");
_Static_assert(sizeof(uv_timespec_t) == 16, "uv_timespec_t: libuv's size is 16");
_Static_assert(sizeof(uv_timeval64_t) == 16, "uv_timeval64_t: libuv's size is 16");
_Static_assert(sizeof(uv_timeval_t) == 16, "uv_timeval_t: libuv's size is 16");
_Static_assert(sizeof(uv_tty_mode_t) == 4, "uv_tty_mode_t: libuv's size is 4");
_Static_assert(sizeof(uv_tty_t) == 312, "uv_tty_t: libuv's size is 312");
_Static_assert(sizeof(uv_tty_vtermstate_t) == 4, "uv_tty_vtermstate_t: libuv's size is 4");
_Static_assert(sizeof(uv_udp_send_t) == 320, "uv_udp_send_t: libuv's size is 320");
_Static_assert(sizeof(uv_udp_t) == 216, "uv_udp_t: libuv's size is 216");
_Static_assert(sizeof(uv_uid_t) == 4, "uv_uid_t: libuv's size is 4");
_Static_assert(sizeof(uv_utsname_t) == 1024, "uv_utsname_t: libuv's size is 1024");
_Static_assert(sizeof(uv_work_t) == 128, "uv_work_t: libuv's size is 128");
_Static_assert(sizeof(uv_write_t) == 192, "uv_write_t: libuv's size is 192");

struct abi_check {
  const char* row;   /* the row of the table */
  const char* what;  /* which of its facts */
  long long libuv;   /* libuv's value */
  long long eddy;    /* eddy's, from <uv.h> */
};

static const struct abi_check type_checks[] = {
    {"type uv_async_t", "sizeof", 128, (long long)sizeof(uv_async_t)},
    {"type uv_async_t", "alignof", 8, (long long)alignof(uv_async_t)},
    {"type uv_barrier_t", "sizeof", 32, (long long)sizeof(uv_barrier_t)},
    {"type uv_barrier_t", "alignof", 8, (long long)alignof(uv_barrier_t)},
    {"type uv_buf_t", "sizeof", 16, (long long)sizeof(uv_buf_t)},
    {"type uv_buf_t", "alignof", 8, (long long)alignof(uv_buf_t)},
    {"type uv_check_t", "sizeof", 120, (long long)sizeof(uv_check_t)},
    {"type uv_check_t", "alignof", 8, (long long)alignof(uv_check_t)},
    {"type uv_cond_t", "sizeof", 48, (long long)sizeof(uv_cond_t)},
    {"type uv_cond_t", "alignof", 8, (long long)alignof(uv_cond_t)},
    {"type uv_connect_t", "sizeof", 96, (long long)sizeof(uv_connect_t)},
    {"type uv_connect_t", "alignof", 8, (long long)alignof(uv_connect_t)},
    {"type uv_cpu_info_t", "sizeof", 56, (long long)sizeof(uv_cpu_info_t)},
    {"type uv_cpu_info_t", "alignof", 8, (long long)alignof(uv_cpu_info_t)},
    {"type uv_dir_t", "sizeof", 56, (long long)sizeof(uv_dir_t)},
    {"type uv_dir_t", "alignof", 8, (long long)alignof(uv_dir_t)},
    {"type uv_dirent_t", "sizeof", 16, (long long)sizeof(uv_dirent_t)},
    {"type uv_dirent_t", "alignof", 8, (long long)alignof(uv_dirent_t)},
    {"type uv_dirent_type_t", "sizeof", 4, (long long)sizeof(uv_dirent_type_t)},
    {"type uv_dirent_type_t", "alignof", 4, (long long)alignof(uv_dirent_type_t)},
    {"type uv_env_item_t", "sizeof", 16, (long long)sizeof(uv_env_item_t)},
    {"type uv_env_item_t", "alignof", 8, (long long)alignof(uv_env_item_t)},
    {"type uv_fs_event_t", "sizeof", 136, (long long)sizeof(uv_fs_event_t)},
    {"type uv_fs_event_t", "alignof", 8, (long long)alignof(uv_fs_event_t)},
    {"type uv_fs_poll_t", "sizeof", 104, (long long)sizeof(uv_fs_poll_t)},
    {"type uv_fs_poll_t", "alignof", 8, (long long)alignof(uv_fs_poll_t)},
    {"type uv_fs_t", "sizeof", 440, (long long)sizeof(uv_fs_t)},
    {"type uv_fs_t", "alignof", 8, (long long)alignof(uv_fs_t)},
    {"type uv_getaddrinfo_t", "sizeof", 160, (long long)sizeof(uv_getaddrinfo_t)},
    {"type uv_getaddrinfo_t", "alignof", 8, (long long)alignof(uv_getaddrinfo_t)},
    {"type uv_getnameinfo_t", "sizeof", 1320, (long long)sizeof(uv_getnameinfo_t)},
    {"type uv_getnameinfo_t", "alignof", 8, (long long)alignof(uv_getnameinfo_t)},
    {"type uv_gid_t", "sizeof", 4, (long long)sizeof(uv_gid_t)},
    {"type uv_gid_t", "alignof", 4, (long long)alignof(uv_gid_t)},
    {"type uv_group_t", "sizeof", 24, (long long)sizeof(uv_group_t)},
    {"type uv_group_t", "alignof", 8, (long long)alignof(uv_group_t)},
    {"type uv_handle_t", "sizeof", 96, (long long)sizeof(uv_handle_t)},
    {"type uv_handle_t", "alignof", 8, (long long)alignof(uv_handle_t)},
    {"type uv_idle_t", "sizeof", 120, (long long)sizeof(uv_idle_t)},
    {"type uv_idle_t", "alignof", 8, (long long)alignof(uv_idle_t)},
    {"type uv_interface_address_t", "sizeof", 80, (long long)sizeof(uv_interface_address_t)},
    {"type uv_interface_address_t", "alignof", 8, (long long)alignof(uv_interface_address_t)},
    {"type uv_key_t", "sizeof", 4, (long long)sizeof(uv_key_t)},
    {"type uv_key_t", "alignof", 4, (long long)alignof(uv_key_t)},
    {"type uv_lib_t", "sizeof", 16, (long long)sizeof(uv_lib_t)},
    {"type uv_lib_t", "alignof", 8, (long long)alignof(uv_lib_t)},
    {"type uv_loop_t", "sizeof", 848, (long long)sizeof(uv_loop_t)},
    {"type uv_loop_t", "alignof", 8, (long long)alignof(uv_loop_t)},
    {"type uv_metrics_t", "sizeof", 128, (long long)sizeof(uv_metrics_t)},
    {"type uv_metrics_t", "alignof", 8, (long long)alignof(uv_metrics_t)},
    {"type uv_mutex_t", "sizeof", 40, (long long)sizeof(uv_mutex_t)},
    {"type uv_mutex_t", "alignof", 8, (long long)alignof(uv_mutex_t)},
    {"type uv_once_t", "sizeof", 4, (long long)sizeof(uv_once_t)},
    {"type uv_once_t", "alignof", 4, (long long)alignof(uv_once_t)},
    {"type uv_os_fd_t", "sizeof", 4, (long long)sizeof(uv_os_fd_t)},
    {"type uv_os_fd_t", "alignof", 4, (long long)alignof(uv_os_fd_t)},
    {"type uv_os_sock_t", "sizeof", 4, (long long)sizeof(uv_os_sock_t)},
    {"type uv_os_sock_t", "alignof", 4, (long long)alignof(uv_os_sock_t)},
    {"type uv_passwd_t", "sizeof", 40, (long long)sizeof(uv_passwd_t)},
    {"type uv_passwd_t", "alignof", 8, (long long)alignof(uv_passwd_t)},
    {"type uv_pid_t", "sizeof", 4, (long long)sizeof(uv_pid_t)},
    {"type uv_pid_t", "alignof", 4, (long long)alignof(uv_pid_t)},
    {"type uv_pipe_t", "sizeof", 264, (long long)sizeof(uv_pipe_t)},
    {"type uv_pipe_t", "alignof", 8, (long long)alignof(uv_pipe_t)},
    {"type uv_poll_t", "sizeof", 160, (long long)sizeof(uv_poll_t)},
    {"type uv_poll_t", "alignof", 8, (long long)alignof(uv_poll_t)},
    {"type uv_prepare_t", "sizeof", 120, (long long)sizeof(uv_prepare_t)},
    {"type uv_prepare_t", "alignof", 8, (long long)alignof(uv_prepare_t)},
    {"type uv_process_options_t", "sizeof", 64, (long long)sizeof(uv_process_options_t)},
    {"type uv_process_options_t", "alignof", 8, (long long)alignof(uv_process_options_t)},
    {"type uv_process_t", "sizeof", 136, (long long)sizeof(uv_process_t)},
    {"type uv_process_t", "alignof", 8, (long long)alignof(uv_process_t)},
    {"type uv_random_t", "sizeof", 144, (long long)sizeof(uv_random_t)},
    {"type uv_random_t", "alignof", 8, (long long)alignof(uv_random_t)},
    {"type uv_req_t", "sizeof", 64, (long long)sizeof(uv_req_t)},
    {"type uv_req_t", "alignof", 8, (long long)alignof(uv_req_t)},
    {"type uv_rusage_t", "sizeof", 144, (long long)sizeof(uv_rusage_t)},
    {"type uv_rusage_t", "alignof", 8, (long long)alignof(uv_rusage_t)},
    {"type uv_rwlock_t", "sizeof", 56, (long long)sizeof(uv_rwlock_t)},
    {"type uv_rwlock_t", "alignof", 8, (long long)alignof(uv_rwlock_t)},
    {"type uv_sem_t", "sizeof", 32, (long long)sizeof(uv_sem_t)},
    {"type uv_sem_t", "alignof", 8, (long long)alignof(uv_sem_t)},
    {"type uv_shutdown_t", "sizeof", 80, (long long)sizeof(uv_shutdown_t)},
    {"type uv_shutdown_t", "alignof", 8, (long long)alignof(uv_shutdown_t)},
    {"type uv_signal_t", "sizeof", 152, (long long)sizeof(uv_signal_t)},
    {"type uv_signal_t", "alignof", 8, (long long)alignof(uv_signal_t)},
    {"type uv_stat_t", "sizeof", 160, (long long)sizeof(uv_stat_t)},
    {"type uv_stat_t", "alignof", 8, (long long)alignof(uv_stat_t)},
    {"type uv_statfs_t", "sizeof", 88, (long long)sizeof(uv_statfs_t)},
    {"type uv_statfs_t", "alignof", 8, (long long)alignof(uv_statfs_t)},
    {"type uv_stdio_container_t", "sizeof", 16, (long long)sizeof(uv_stdio_container_t)},
    {"type uv_stdio_container_t", "alignof", 8, (long long)alignof(uv_stdio_container_t)},
    {"type uv_stream_t", "sizeof", 248, (long long)sizeof(uv_stream_t)},
    {"type uv_stream_t", "alignof", 8, (long long)alignof(uv_stream_t)},
    {"type uv_tcp_t", "sizeof", 248, (long long)sizeof(uv_tcp_t)},
    {"type uv_tcp_t", "alignof", 8, (long long)alignof(uv_tcp_t)},
    {"type uv_thread_options_t", "sizeof", 16, (long long)sizeof(uv_thread_options_t)},
    {"type uv_thread_options_t", "alignof", 8, (long long)alignof(uv_thread_options_t)},
    {"type uv_thread_t", "sizeof", 8, (long long)sizeof(uv_thread_t)},
    {"type uv_thread_t", "alignof", 8, (long long)alignof(uv_thread_t)},
    {"type uv_timer_t", "sizeof", 152, (long long)sizeof(uv_timer_t)},
    {"type uv_timer_t", "alignof", 8, (long long)alignof(uv_timer_t)},
    {"type uv_timespec64_t", "sizeof", 16, (long long)sizeof(uv_timespec64_t)},
    {"type uv_timespec64_t", "alignof", 8, (long long)alignof(uv_timespec64_t)},
    {"type uv_timespec_t", "sizeof", 16, (long long)sizeof(uv_timespec_t)},
    {"type uv_timespec_t", "alignof", 8, (long long)alignof(uv_timespec_t)},
    {"type uv_timeval64_t", "sizeof", 16, (long long)sizeof(uv_timeval64_t)},
    {"type uv_timeval64_t", "alignof", 8, (long long)alignof(uv_timeval64_t)},
    {"type uv_timeval_t", "sizeof", 16, (long long)sizeof(uv_timeval_t)},
    {"type uv_timeval_t", "alignof", 8, (long long)alignof(uv_timeval_t)},
    {"type uv_tty_mode_t", "sizeof", 4, (long long)sizeof(uv_tty_mode_t)},
    {"type uv_tty_mode_t", "alignof", 4, (long long)alignof(uv_tty_mode_t)},
    {"type uv_tty_t", "sizeof", 312, (long long)sizeof(uv_tty_t)},
    {"type uv_tty_t", "alignof", 8, (long long)alignof(uv_tty_t)},
    {"type uv_tty_vtermstate_t", "sizeof", 4, (long long)sizeof(uv_tty_vtermstate_t)},
    {"type uv_tty_vtermstate_t", "alignof", 4, (long long)alignof(uv_tty_vtermstate_t)},
    {"type uv_udp_send_t", "sizeof", 320, (long long)sizeof(uv_udp_send_t)},
    {"type uv_udp_send_t", "alignof", 8, (long long)alignof(uv_udp_send_t)},
    {"type uv_udp_t", "sizeof", 216, (long long)sizeof(uv_udp_t)},
    {"type uv_udp_t", "alignof", 8, (long long)alignof(uv_udp_t)},
    {"type uv_uid_t", "sizeof", 4, (long long)sizeof(uv_uid_t)},
    {"type uv_uid_t", "alignof", 4, (long long)alignof(uv_uid_t)},
    {"type uv_utsname_t", "sizeof", 1024, (long long)sizeof(uv_utsname_t)},
    {"type uv_utsname_t", "alignof", 1, (long long)alignof(uv_utsname_t)},
    {"type uv_work_t", "sizeof", 128, (long long)sizeof(uv_work_t)},
    {"type uv_work_t", "alignof", 8, (long long)alignof(uv_work_t)},
    {"type uv_write_t", "sizeof", 192, (long long)sizeof(uv_write_t)},
    {"type uv_write_t", "alignof", 8, (long long)alignof(uv_write_t)},
};

#define MEMBER_SIZE(t, m) sizeof(((t*)0)->m)

static const struct abi_check member_checks[] = {
    {"member uv_async_t.data", "offsetof", 0, (long long)offsetof(uv_async_t, data)},
    {"member uv_async_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_async_t, data)},
    {"member uv_async_t.loop", "offsetof", 8, (long long)offsetof(uv_async_t, loop)},
    {"member uv_async_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_async_t, loop)},
    {"member uv_async_t.type", "offsetof", 16, (long long)offsetof(uv_async_t, type)},
    {"member uv_async_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_async_t, type)},
    {"member uv_buf_t.base", "offsetof", 0, (long long)offsetof(uv_buf_t, base)},
    {"member uv_buf_t.base", "sizeof", 8, (long long)MEMBER_SIZE(uv_buf_t, base)},
    {"member uv_buf_t.len", "offsetof", 8, (long long)offsetof(uv_buf_t, len)},
    {"member uv_buf_t.len", "sizeof", 8, (long long)MEMBER_SIZE(uv_buf_t, len)},
    {"member uv_check_t.data", "offsetof", 0, (long long)offsetof(uv_check_t, data)},
    {"member uv_check_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_check_t, data)},
    {"member uv_check_t.loop", "offsetof", 8, (long long)offsetof(uv_check_t, loop)},
    {"member uv_check_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_check_t, loop)},
    {"member uv_check_t.type", "offsetof", 16, (long long)offsetof(uv_check_t, type)},
    {"member uv_check_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_check_t, type)},
    {"member uv_connect_t.data", "offsetof", 0, (long long)offsetof(uv_connect_t, data)},
    {"member uv_connect_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_connect_t, data)},
    {"member uv_connect_t.type", "offsetof", 8, (long long)offsetof(uv_connect_t, type)},
    {"member uv_connect_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_connect_t, type)},
    {"member uv_connect_t.cb", "offsetof", 64, (long long)offsetof(uv_connect_t, cb)},
    {"member uv_connect_t.cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_connect_t, cb)},
    {"member uv_connect_t.handle", "offsetof", 72, (long long)offsetof(uv_connect_t, handle)},
    {"member uv_connect_t.handle", "sizeof", 8, (long long)MEMBER_SIZE(uv_connect_t, handle)},
    {"member uv_cpu_info_t.model", "offsetof", 0, (long long)offsetof(uv_cpu_info_t, model)},
    {"member uv_cpu_info_t.model", "sizeof", 8, (long long)MEMBER_SIZE(uv_cpu_info_t, model)},
    {"member uv_cpu_info_t.speed", "offsetof", 8, (long long)offsetof(uv_cpu_info_t, speed)},
    {"member uv_cpu_info_t.speed", "sizeof", 4, (long long)MEMBER_SIZE(uv_cpu_info_t, speed)},
    {"member uv_cpu_info_t.cpu_times", "offsetof", 16, (long long)offsetof(uv_cpu_info_t, cpu_times)},
    {"member uv_cpu_info_t.cpu_times", "sizeof", 40, (long long)MEMBER_SIZE(uv_cpu_info_t, cpu_times)},
    {"member uv_cpu_info_t.cpu_times.user", "offsetof", 16, (long long)offsetof(uv_cpu_info_t, cpu_times.user)},
    {"member uv_cpu_info_t.cpu_times.user", "sizeof", 8, (long long)MEMBER_SIZE(uv_cpu_info_t, cpu_times.user)},
    {"member uv_cpu_info_t.cpu_times.nice", "offsetof", 24, (long long)offsetof(uv_cpu_info_t, cpu_times.nice)},
    {"member uv_cpu_info_t.cpu_times.nice", "sizeof", 8, (long long)MEMBER_SIZE(uv_cpu_info_t, cpu_times.nice)},
    {"member uv_cpu_info_t.cpu_times.sys", "offsetof", 32, (long long)offsetof(uv_cpu_info_t, cpu_times.sys)},
    {"member uv_cpu_info_t.cpu_times.sys", "sizeof", 8, (long long)MEMBER_SIZE(uv_cpu_info_t, cpu_times.sys)},
    {"member uv_cpu_info_t.cpu_times.idle", "offsetof", 40, (long long)offsetof(uv_cpu_info_t, cpu_times.idle)},
    {"member uv_cpu_info_t.cpu_times.idle", "sizeof", 8, (long long)MEMBER_SIZE(uv_cpu_info_t, cpu_times.idle)},
    {"member uv_cpu_info_t.cpu_times.irq", "offsetof", 48, (long long)offsetof(uv_cpu_info_t, cpu_times.irq)},
    {"member uv_cpu_info_t.cpu_times.irq", "sizeof", 8, (long long)MEMBER_SIZE(uv_cpu_info_t, cpu_times.irq)},
    {"member uv_dir_t.dirents", "offsetof", 0, (long long)offsetof(uv_dir_t, dirents)},
    {"member uv_dir_t.dirents", "sizeof", 8, (long long)MEMBER_SIZE(uv_dir_t, dirents)},
    {"member uv_dir_t.nentries", "offsetof", 8, (long long)offsetof(uv_dir_t, nentries)},
    {"member uv_dir_t.nentries", "sizeof", 8, (long long)MEMBER_SIZE(uv_dir_t, nentries)},
    {"member uv_dirent_t.name", "offsetof", 0, (long long)offsetof(uv_dirent_t, name)},
    {"member uv_dirent_t.name", "sizeof", 8, (long long)MEMBER_SIZE(uv_dirent_t, name)},
    {"member uv_dirent_t.type", "offsetof", 8, (long long)offsetof(uv_dirent_t, type)},
    {"member uv_dirent_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_dirent_t, type)},
    {"member uv_env_item_t.name", "offsetof", 0, (long long)offsetof(uv_env_item_t, name)},
    {"member uv_env_item_t.name", "sizeof", 8, (long long)MEMBER_SIZE(uv_env_item_t, name)},
    {"member uv_env_item_t.value", "offsetof", 8, (long long)offsetof(uv_env_item_t, value)},
    {"member uv_env_item_t.value", "sizeof", 8, (long long)MEMBER_SIZE(uv_env_item_t, value)},
    {"member uv_fs_event_t.data", "offsetof", 0, (long long)offsetof(uv_fs_event_t, data)},
    {"member uv_fs_event_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_event_t, data)},
    {"member uv_fs_event_t.loop", "offsetof", 8, (long long)offsetof(uv_fs_event_t, loop)},
    {"member uv_fs_event_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_event_t, loop)},
    {"member uv_fs_event_t.type", "offsetof", 16, (long long)offsetof(uv_fs_event_t, type)},
    {"member uv_fs_event_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_fs_event_t, type)},
    {"member uv_fs_event_t.path", "offsetof", 96, (long long)offsetof(uv_fs_event_t, path)},
    {"member uv_fs_event_t.path", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_event_t, path)},
    {"member uv_fs_poll_t.data", "offsetof", 0, (long long)offsetof(uv_fs_poll_t, data)},
    {"member uv_fs_poll_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_poll_t, data)},
    {"member uv_fs_poll_t.loop", "offsetof", 8, (long long)offsetof(uv_fs_poll_t, loop)},
    {"member uv_fs_poll_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_poll_t, loop)},
    {"member uv_fs_poll_t.type", "offsetof", 16, (long long)offsetof(uv_fs_poll_t, type)},
    {"member uv_fs_poll_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_fs_poll_t, type)},
    {"member uv_fs_t.data", "offsetof", 0, (long long)offsetof(uv_fs_t, data)},
    {"member uv_fs_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_t, data)},
    {"member uv_fs_t.type", "offsetof", 8, (long long)offsetof(uv_fs_t, type)},
    {"member uv_fs_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_fs_t, type)},
    {"member uv_fs_t.fs_type", "offsetof", 64, (long long)offsetof(uv_fs_t, fs_type)},
    {"member uv_fs_t.fs_type", "sizeof", 4, (long long)MEMBER_SIZE(uv_fs_t, fs_type)},
    {"member uv_fs_t.loop", "offsetof", 72, (long long)offsetof(uv_fs_t, loop)},
    {"member uv_fs_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_t, loop)},
    {"member uv_fs_t.cb", "offsetof", 80, (long long)offsetof(uv_fs_t, cb)},
    {"member uv_fs_t.cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_t, cb)},
    {"member uv_fs_t.result", "offsetof", 88, (long long)offsetof(uv_fs_t, result)},
    {"member uv_fs_t.result", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_t, result)},
    {"member uv_fs_t.ptr", "offsetof", 96, (long long)offsetof(uv_fs_t, ptr)},
    {"member uv_fs_t.ptr", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_t, ptr)},
    {"member uv_fs_t.path", "offsetof", 104, (long long)offsetof(uv_fs_t, path)},
    {"member uv_fs_t.path", "sizeof", 8, (long long)MEMBER_SIZE(uv_fs_t, path)},
    {"member uv_fs_t.statbuf", "offsetof", 112, (long long)offsetof(uv_fs_t, statbuf)},
    {"member uv_fs_t.statbuf", "sizeof", 160, (long long)MEMBER_SIZE(uv_fs_t, statbuf)},
    {"member uv_getaddrinfo_t.data", "offsetof", 0, (long long)offsetof(uv_getaddrinfo_t, data)},
    {"member uv_getaddrinfo_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_getaddrinfo_t, data)},
    {"member uv_getaddrinfo_t.type", "offsetof", 8, (long long)offsetof(uv_getaddrinfo_t, type)},
    {"member uv_getaddrinfo_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_getaddrinfo_t, type)},
    {"member uv_getaddrinfo_t.loop", "offsetof", 64, (long long)offsetof(uv_getaddrinfo_t, loop)},
    {"member uv_getaddrinfo_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_getaddrinfo_t, loop)},
    {"member uv_getaddrinfo_t.addrinfo", "offsetof", 144, (long long)offsetof(uv_getaddrinfo_t, addrinfo)},
    {"member uv_getaddrinfo_t.addrinfo", "sizeof", 8, (long long)MEMBER_SIZE(uv_getaddrinfo_t, addrinfo)},
    {"member uv_getnameinfo_t.data", "offsetof", 0, (long long)offsetof(uv_getnameinfo_t, data)},
    {"member uv_getnameinfo_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_getnameinfo_t, data)},
    {"member uv_getnameinfo_t.type", "offsetof", 8, (long long)offsetof(uv_getnameinfo_t, type)},
    {"member uv_getnameinfo_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_getnameinfo_t, type)},
    {"member uv_getnameinfo_t.loop", "offsetof", 64, (long long)offsetof(uv_getnameinfo_t, loop)},
    {"member uv_getnameinfo_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_getnameinfo_t, loop)},
    {"member uv_getnameinfo_t.host", "offsetof", 252, (long long)offsetof(uv_getnameinfo_t, host)},
    {"member uv_getnameinfo_t.host", "sizeof", 1025, (long long)MEMBER_SIZE(uv_getnameinfo_t, host)},
    {"member uv_getnameinfo_t.service", "offsetof", 1277, (long long)offsetof(uv_getnameinfo_t, service)},
    {"member uv_getnameinfo_t.service", "sizeof", 32, (long long)MEMBER_SIZE(uv_getnameinfo_t, service)},
    {"member uv_group_t.groupname", "offsetof", 0, (long long)offsetof(uv_group_t, groupname)},
    {"member uv_group_t.groupname", "sizeof", 8, (long long)MEMBER_SIZE(uv_group_t, groupname)},
    {"member uv_group_t.gid", "offsetof", 8, (long long)offsetof(uv_group_t, gid)},
    {"member uv_group_t.gid", "sizeof", 8, (long long)MEMBER_SIZE(uv_group_t, gid)},
    {"member uv_group_t.members", "offsetof", 16, (long long)offsetof(uv_group_t, members)},
    {"member uv_group_t.members", "sizeof", 8, (long long)MEMBER_SIZE(uv_group_t, members)},
    {"member uv_handle_t.data", "offsetof", 0, (long long)offsetof(uv_handle_t, data)},
    {"member uv_handle_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_handle_t, data)},
    {"member uv_handle_t.loop", "offsetof", 8, (long long)offsetof(uv_handle_t, loop)},
    {"member uv_handle_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_handle_t, loop)},
    {"member uv_handle_t.type", "offsetof", 16, (long long)offsetof(uv_handle_t, type)},
    {"member uv_handle_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_handle_t, type)},
    {"member uv_idle_t.data", "offsetof", 0, (long long)offsetof(uv_idle_t, data)},
    {"member uv_idle_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_idle_t, data)},
    {"member uv_idle_t.loop", "offsetof", 8, (long long)offsetof(uv_idle_t, loop)},
    {"member uv_idle_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_idle_t, loop)},
    {"member uv_idle_t.type", "offsetof", 16, (long long)offsetof(uv_idle_t, type)},
    {"member uv_idle_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_idle_t, type)},
    {"member uv_interface_address_t.name", "offsetof", 0, (long long)offsetof(uv_interface_address_t, name)},
    {"member uv_interface_address_t.name", "sizeof", 8, (long long)MEMBER_SIZE(uv_interface_address_t, name)},
    {"member uv_interface_address_t.phys_addr", "offsetof", 8, (long long)offsetof(uv_interface_address_t, phys_addr)},
    {"member uv_interface_address_t.phys_addr", "sizeof", 6, (long long)MEMBER_SIZE(uv_interface_address_t, phys_addr)},
    {"member uv_interface_address_t.is_internal", "offsetof", 16, (long long)offsetof(uv_interface_address_t, is_internal)},
    {"member uv_interface_address_t.is_internal", "sizeof", 4, (long long)MEMBER_SIZE(uv_interface_address_t, is_internal)},
    {"member uv_interface_address_t.address", "offsetof", 20, (long long)offsetof(uv_interface_address_t, address)},
    {"member uv_interface_address_t.address", "sizeof", 28, (long long)MEMBER_SIZE(uv_interface_address_t, address)},
    {"member uv_interface_address_t.netmask", "offsetof", 48, (long long)offsetof(uv_interface_address_t, netmask)},
    {"member uv_interface_address_t.netmask", "sizeof", 28, (long long)MEMBER_SIZE(uv_interface_address_t, netmask)},
    {"member uv_loop_t.data", "offsetof", 0, (long long)offsetof(uv_loop_t, data)},
    {"member uv_loop_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_loop_t, data)},
    {"member uv_loop_t.active_handles", "offsetof", 8, (long long)offsetof(uv_loop_t, active_handles)},
    {"member uv_loop_t.active_handles", "sizeof", 4, (long long)MEMBER_SIZE(uv_loop_t, active_handles)},
    {"member uv_loop_t.handle_queue", "offsetof", 16, (long long)offsetof(uv_loop_t, handle_queue)},
    {"member uv_loop_t.handle_queue", "sizeof", 16, (long long)MEMBER_SIZE(uv_loop_t, handle_queue)},
    {"member uv_loop_t.active_reqs", "offsetof", 32, (long long)offsetof(uv_loop_t, active_reqs)},
    {"member uv_loop_t.active_reqs", "sizeof", 8, (long long)MEMBER_SIZE(uv_loop_t, active_reqs)},
    {"member uv_loop_t.internal_fields", "offsetof", 40, (long long)offsetof(uv_loop_t, internal_fields)},
    {"member uv_loop_t.internal_fields", "sizeof", 8, (long long)MEMBER_SIZE(uv_loop_t, internal_fields)},
    {"member uv_loop_t.stop_flag", "offsetof", 48, (long long)offsetof(uv_loop_t, stop_flag)},
    {"member uv_loop_t.stop_flag", "sizeof", 4, (long long)MEMBER_SIZE(uv_loop_t, stop_flag)},
    {"member uv_metrics_t.loop_count", "offsetof", 0, (long long)offsetof(uv_metrics_t, loop_count)},
    {"member uv_metrics_t.loop_count", "sizeof", 8, (long long)MEMBER_SIZE(uv_metrics_t, loop_count)},
    {"member uv_metrics_t.events", "offsetof", 8, (long long)offsetof(uv_metrics_t, events)},
    {"member uv_metrics_t.events", "sizeof", 8, (long long)MEMBER_SIZE(uv_metrics_t, events)},
    {"member uv_metrics_t.events_waiting", "offsetof", 16, (long long)offsetof(uv_metrics_t, events_waiting)},
    {"member uv_metrics_t.events_waiting", "sizeof", 8, (long long)MEMBER_SIZE(uv_metrics_t, events_waiting)},
    {"member uv_passwd_t.username", "offsetof", 0, (long long)offsetof(uv_passwd_t, username)},
    {"member uv_passwd_t.username", "sizeof", 8, (long long)MEMBER_SIZE(uv_passwd_t, username)},
    {"member uv_passwd_t.uid", "offsetof", 8, (long long)offsetof(uv_passwd_t, uid)},
    {"member uv_passwd_t.uid", "sizeof", 8, (long long)MEMBER_SIZE(uv_passwd_t, uid)},
    {"member uv_passwd_t.gid", "offsetof", 16, (long long)offsetof(uv_passwd_t, gid)},
    {"member uv_passwd_t.gid", "sizeof", 8, (long long)MEMBER_SIZE(uv_passwd_t, gid)},
    {"member uv_passwd_t.shell", "offsetof", 24, (long long)offsetof(uv_passwd_t, shell)},
    {"member uv_passwd_t.shell", "sizeof", 8, (long long)MEMBER_SIZE(uv_passwd_t, shell)},
    {"member uv_passwd_t.homedir", "offsetof", 32, (long long)offsetof(uv_passwd_t, homedir)},
    {"member uv_passwd_t.homedir", "sizeof", 8, (long long)MEMBER_SIZE(uv_passwd_t, homedir)},
    {"member uv_pipe_t.data", "offsetof", 0, (long long)offsetof(uv_pipe_t, data)},
    {"member uv_pipe_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_pipe_t, data)},
    {"member uv_pipe_t.loop", "offsetof", 8, (long long)offsetof(uv_pipe_t, loop)},
    {"member uv_pipe_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_pipe_t, loop)},
    {"member uv_pipe_t.type", "offsetof", 16, (long long)offsetof(uv_pipe_t, type)},
    {"member uv_pipe_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_pipe_t, type)},
    {"member uv_pipe_t.write_queue_size", "offsetof", 96, (long long)offsetof(uv_pipe_t, write_queue_size)},
    {"member uv_pipe_t.write_queue_size", "sizeof", 8, (long long)MEMBER_SIZE(uv_pipe_t, write_queue_size)},
    {"member uv_pipe_t.alloc_cb", "offsetof", 104, (long long)offsetof(uv_pipe_t, alloc_cb)},
    {"member uv_pipe_t.alloc_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_pipe_t, alloc_cb)},
    {"member uv_pipe_t.read_cb", "offsetof", 112, (long long)offsetof(uv_pipe_t, read_cb)},
    {"member uv_pipe_t.read_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_pipe_t, read_cb)},
    {"member uv_pipe_t.ipc", "offsetof", 248, (long long)offsetof(uv_pipe_t, ipc)},
    {"member uv_pipe_t.ipc", "sizeof", 4, (long long)MEMBER_SIZE(uv_pipe_t, ipc)},
    {"member uv_poll_t.data", "offsetof", 0, (long long)offsetof(uv_poll_t, data)},
    {"member uv_poll_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_poll_t, data)},
    {"member uv_poll_t.loop", "offsetof", 8, (long long)offsetof(uv_poll_t, loop)},
    {"member uv_poll_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_poll_t, loop)},
    {"member uv_poll_t.type", "offsetof", 16, (long long)offsetof(uv_poll_t, type)},
    {"member uv_poll_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_poll_t, type)},
    {"member uv_poll_t.poll_cb", "offsetof", 96, (long long)offsetof(uv_poll_t, poll_cb)},
    {"member uv_poll_t.poll_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_poll_t, poll_cb)},
    {"member uv_prepare_t.data", "offsetof", 0, (long long)offsetof(uv_prepare_t, data)},
    {"member uv_prepare_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_prepare_t, data)},
    {"member uv_prepare_t.loop", "offsetof", 8, (long long)offsetof(uv_prepare_t, loop)},
    {"member uv_prepare_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_prepare_t, loop)},
    {"member uv_prepare_t.type", "offsetof", 16, (long long)offsetof(uv_prepare_t, type)},
    {"member uv_prepare_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_prepare_t, type)},
    {"member uv_process_options_t.exit_cb", "offsetof", 0, (long long)offsetof(uv_process_options_t, exit_cb)},
    {"member uv_process_options_t.exit_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_process_options_t, exit_cb)},
    {"member uv_process_options_t.file", "offsetof", 8, (long long)offsetof(uv_process_options_t, file)},
    {"member uv_process_options_t.file", "sizeof", 8, (long long)MEMBER_SIZE(uv_process_options_t, file)},
    {"member uv_process_options_t.args", "offsetof", 16, (long long)offsetof(uv_process_options_t, args)},
    {"member uv_process_options_t.args", "sizeof", 8, (long long)MEMBER_SIZE(uv_process_options_t, args)},
    {"member uv_process_options_t.env", "offsetof", 24, (long long)offsetof(uv_process_options_t, env)},
    {"member uv_process_options_t.env", "sizeof", 8, (long long)MEMBER_SIZE(uv_process_options_t, env)},
    {"member uv_process_options_t.cwd", "offsetof", 32, (long long)offsetof(uv_process_options_t, cwd)},
    {"member uv_process_options_t.cwd", "sizeof", 8, (long long)MEMBER_SIZE(uv_process_options_t, cwd)},
    {"member uv_process_options_t.flags", "offsetof", 40, (long long)offsetof(uv_process_options_t, flags)},
    {"member uv_process_options_t.flags", "sizeof", 4, (long long)MEMBER_SIZE(uv_process_options_t, flags)},
    {"member uv_process_options_t.stdio_count", "offsetof", 44, (long long)offsetof(uv_process_options_t, stdio_count)},
    {"member uv_process_options_t.stdio_count", "sizeof", 4, (long long)MEMBER_SIZE(uv_process_options_t, stdio_count)},
    {"member uv_process_options_t.stdio", "offsetof", 48, (long long)offsetof(uv_process_options_t, stdio)},
    {"member uv_process_options_t.stdio", "sizeof", 8, (long long)MEMBER_SIZE(uv_process_options_t, stdio)},
    {"member uv_process_options_t.uid", "offsetof", 56, (long long)offsetof(uv_process_options_t, uid)},
    {"member uv_process_options_t.uid", "sizeof", 4, (long long)MEMBER_SIZE(uv_process_options_t, uid)},
    {"member uv_process_options_t.gid", "offsetof", 60, (long long)offsetof(uv_process_options_t, gid)},
    {"member uv_process_options_t.gid", "sizeof", 4, (long long)MEMBER_SIZE(uv_process_options_t, gid)},
    {"member uv_process_t.data", "offsetof", 0, (long long)offsetof(uv_process_t, data)},
    {"member uv_process_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_process_t, data)},
    {"member uv_process_t.loop", "offsetof", 8, (long long)offsetof(uv_process_t, loop)},
    {"member uv_process_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_process_t, loop)},
    {"member uv_process_t.type", "offsetof", 16, (long long)offsetof(uv_process_t, type)},
    {"member uv_process_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_process_t, type)},
    {"member uv_process_t.exit_cb", "offsetof", 96, (long long)offsetof(uv_process_t, exit_cb)},
    {"member uv_process_t.exit_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_process_t, exit_cb)},
    {"member uv_process_t.pid", "offsetof", 104, (long long)offsetof(uv_process_t, pid)},
    {"member uv_process_t.pid", "sizeof", 4, (long long)MEMBER_SIZE(uv_process_t, pid)},
    {"member uv_random_t.data", "offsetof", 0, (long long)offsetof(uv_random_t, data)},
    {"member uv_random_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_random_t, data)},
    {"member uv_random_t.type", "offsetof", 8, (long long)offsetof(uv_random_t, type)},
    {"member uv_random_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_random_t, type)},
    {"member uv_random_t.loop", "offsetof", 64, (long long)offsetof(uv_random_t, loop)},
    {"member uv_random_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_random_t, loop)},
    {"member uv_req_t.data", "offsetof", 0, (long long)offsetof(uv_req_t, data)},
    {"member uv_req_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_req_t, data)},
    {"member uv_req_t.type", "offsetof", 8, (long long)offsetof(uv_req_t, type)},
    {"member uv_req_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_req_t, type)},
    {"member uv_rusage_t.ru_utime", "offsetof", 0, (long long)offsetof(uv_rusage_t, ru_utime)},
    {"member uv_rusage_t.ru_utime", "sizeof", 16, (long long)MEMBER_SIZE(uv_rusage_t, ru_utime)},
    {"member uv_rusage_t.ru_stime", "offsetof", 16, (long long)offsetof(uv_rusage_t, ru_stime)},
    {"member uv_rusage_t.ru_stime", "sizeof", 16, (long long)MEMBER_SIZE(uv_rusage_t, ru_stime)},
    {"member uv_rusage_t.ru_maxrss", "offsetof", 32, (long long)offsetof(uv_rusage_t, ru_maxrss)},
    {"member uv_rusage_t.ru_maxrss", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_maxrss)},
    {"member uv_rusage_t.ru_ixrss", "offsetof", 40, (long long)offsetof(uv_rusage_t, ru_ixrss)},
    {"member uv_rusage_t.ru_ixrss", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_ixrss)},
    {"member uv_rusage_t.ru_idrss", "offsetof", 48, (long long)offsetof(uv_rusage_t, ru_idrss)},
    {"member uv_rusage_t.ru_idrss", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_idrss)},
    {"member uv_rusage_t.ru_isrss", "offsetof", 56, (long long)offsetof(uv_rusage_t, ru_isrss)},
    {"member uv_rusage_t.ru_isrss", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_isrss)},
    {"member uv_rusage_t.ru_minflt", "offsetof", 64, (long long)offsetof(uv_rusage_t, ru_minflt)},
    {"member uv_rusage_t.ru_minflt", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_minflt)},
    {"member uv_rusage_t.ru_majflt", "offsetof", 72, (long long)offsetof(uv_rusage_t, ru_majflt)},
    {"member uv_rusage_t.ru_majflt", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_majflt)},
    {"member uv_rusage_t.ru_nswap", "offsetof", 80, (long long)offsetof(uv_rusage_t, ru_nswap)},
    {"member uv_rusage_t.ru_nswap", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_nswap)},
    {"member uv_rusage_t.ru_inblock", "offsetof", 88, (long long)offsetof(uv_rusage_t, ru_inblock)},
    {"member uv_rusage_t.ru_inblock", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_inblock)},
    {"member uv_rusage_t.ru_oublock", "offsetof", 96, (long long)offsetof(uv_rusage_t, ru_oublock)},
    {"member uv_rusage_t.ru_oublock", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_oublock)},
    {"member uv_rusage_t.ru_msgsnd", "offsetof", 104, (long long)offsetof(uv_rusage_t, ru_msgsnd)},
    {"member uv_rusage_t.ru_msgsnd", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_msgsnd)},
    {"member uv_rusage_t.ru_msgrcv", "offsetof", 112, (long long)offsetof(uv_rusage_t, ru_msgrcv)},
    {"member uv_rusage_t.ru_msgrcv", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_msgrcv)},
    {"member uv_rusage_t.ru_nsignals", "offsetof", 120, (long long)offsetof(uv_rusage_t, ru_nsignals)},
    {"member uv_rusage_t.ru_nsignals", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_nsignals)},
    {"member uv_rusage_t.ru_nvcsw", "offsetof", 128, (long long)offsetof(uv_rusage_t, ru_nvcsw)},
    {"member uv_rusage_t.ru_nvcsw", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_nvcsw)},
    {"member uv_rusage_t.ru_nivcsw", "offsetof", 136, (long long)offsetof(uv_rusage_t, ru_nivcsw)},
    {"member uv_rusage_t.ru_nivcsw", "sizeof", 8, (long long)MEMBER_SIZE(uv_rusage_t, ru_nivcsw)},
    {"member uv_shutdown_t.data", "offsetof", 0, (long long)offsetof(uv_shutdown_t, data)},
    {"member uv_shutdown_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_shutdown_t, data)},
    {"member uv_shutdown_t.type", "offsetof", 8, (long long)offsetof(uv_shutdown_t, type)},
    {"member uv_shutdown_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_shutdown_t, type)},
    {"member uv_shutdown_t.handle", "offsetof", 64, (long long)offsetof(uv_shutdown_t, handle)},
    {"member uv_shutdown_t.handle", "sizeof", 8, (long long)MEMBER_SIZE(uv_shutdown_t, handle)},
    {"member uv_shutdown_t.cb", "offsetof", 72, (long long)offsetof(uv_shutdown_t, cb)},
    {"member uv_shutdown_t.cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_shutdown_t, cb)},
    {"member uv_signal_t.data", "offsetof", 0, (long long)offsetof(uv_signal_t, data)},
    {"member uv_signal_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_signal_t, data)},
    {"member uv_signal_t.loop", "offsetof", 8, (long long)offsetof(uv_signal_t, loop)},
    {"member uv_signal_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_signal_t, loop)},
    {"member uv_signal_t.type", "offsetof", 16, (long long)offsetof(uv_signal_t, type)},
    {"member uv_signal_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_signal_t, type)},
    {"member uv_signal_t.signal_cb", "offsetof", 96, (long long)offsetof(uv_signal_t, signal_cb)},
    {"member uv_signal_t.signal_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_signal_t, signal_cb)},
    {"member uv_signal_t.signum", "offsetof", 104, (long long)offsetof(uv_signal_t, signum)},
    {"member uv_signal_t.signum", "sizeof", 4, (long long)MEMBER_SIZE(uv_signal_t, signum)},
    {"member uv_stat_t.st_dev", "offsetof", 0, (long long)offsetof(uv_stat_t, st_dev)},
    {"member uv_stat_t.st_dev", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_dev)},
    {"member uv_stat_t.st_mode", "offsetof", 8, (long long)offsetof(uv_stat_t, st_mode)},
    {"member uv_stat_t.st_mode", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_mode)},
    {"member uv_stat_t.st_nlink", "offsetof", 16, (long long)offsetof(uv_stat_t, st_nlink)},
    {"member uv_stat_t.st_nlink", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_nlink)},
    {"member uv_stat_t.st_uid", "offsetof", 24, (long long)offsetof(uv_stat_t, st_uid)},
    {"member uv_stat_t.st_uid", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_uid)},
    {"member uv_stat_t.st_gid", "offsetof", 32, (long long)offsetof(uv_stat_t, st_gid)},
    {"member uv_stat_t.st_gid", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_gid)},
    {"member uv_stat_t.st_rdev", "offsetof", 40, (long long)offsetof(uv_stat_t, st_rdev)},
    {"member uv_stat_t.st_rdev", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_rdev)},
    {"member uv_stat_t.st_ino", "offsetof", 48, (long long)offsetof(uv_stat_t, st_ino)},
    {"member uv_stat_t.st_ino", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_ino)},
    {"member uv_stat_t.st_size", "offsetof", 56, (long long)offsetof(uv_stat_t, st_size)},
    {"member uv_stat_t.st_size", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_size)},
    {"member uv_stat_t.st_blksize", "offsetof", 64, (long long)offsetof(uv_stat_t, st_blksize)},
    {"member uv_stat_t.st_blksize", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_blksize)},
    {"member uv_stat_t.st_blocks", "offsetof", 72, (long long)offsetof(uv_stat_t, st_blocks)},
    {"member uv_stat_t.st_blocks", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_blocks)},
    {"member uv_stat_t.st_flags", "offsetof", 80, (long long)offsetof(uv_stat_t, st_flags)},
    {"member uv_stat_t.st_flags", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_flags)},
    {"member uv_stat_t.st_gen", "offsetof", 88, (long long)offsetof(uv_stat_t, st_gen)},
    {"member uv_stat_t.st_gen", "sizeof", 8, (long long)MEMBER_SIZE(uv_stat_t, st_gen)},
    {"member uv_stat_t.st_atim", "offsetof", 96, (long long)offsetof(uv_stat_t, st_atim)},
    {"member uv_stat_t.st_atim", "sizeof", 16, (long long)MEMBER_SIZE(uv_stat_t, st_atim)},
    {"member uv_stat_t.st_mtim", "offsetof", 112, (long long)offsetof(uv_stat_t, st_mtim)},
    {"member uv_stat_t.st_mtim", "sizeof", 16, (long long)MEMBER_SIZE(uv_stat_t, st_mtim)},
    {"member uv_stat_t.st_ctim", "offsetof", 128, (long long)offsetof(uv_stat_t, st_ctim)},
    {"member uv_stat_t.st_ctim", "sizeof", 16, (long long)MEMBER_SIZE(uv_stat_t, st_ctim)},
    {"member uv_stat_t.st_birthtim", "offsetof", 144, (long long)offsetof(uv_stat_t, st_birthtim)},
    {"member uv_stat_t.st_birthtim", "sizeof", 16, (long long)MEMBER_SIZE(uv_stat_t, st_birthtim)},
    {"member uv_statfs_t.f_type", "offsetof", 0, (long long)offsetof(uv_statfs_t, f_type)},
    {"member uv_statfs_t.f_type", "sizeof", 8, (long long)MEMBER_SIZE(uv_statfs_t, f_type)},
    {"member uv_statfs_t.f_bsize", "offsetof", 8, (long long)offsetof(uv_statfs_t, f_bsize)},
    {"member uv_statfs_t.f_bsize", "sizeof", 8, (long long)MEMBER_SIZE(uv_statfs_t, f_bsize)},
    {"member uv_statfs_t.f_blocks", "offsetof", 16, (long long)offsetof(uv_statfs_t, f_blocks)},
    {"member uv_statfs_t.f_blocks", "sizeof", 8, (long long)MEMBER_SIZE(uv_statfs_t, f_blocks)},
    {"member uv_statfs_t.f_bfree", "offsetof", 24, (long long)offsetof(uv_statfs_t, f_bfree)},
    {"member uv_statfs_t.f_bfree", "sizeof", 8, (long long)MEMBER_SIZE(uv_statfs_t, f_bfree)},
    {"member uv_statfs_t.f_bavail", "offsetof", 32, (long long)offsetof(uv_statfs_t, f_bavail)},
    {"member uv_statfs_t.f_bavail", "sizeof", 8, (long long)MEMBER_SIZE(uv_statfs_t, f_bavail)},
    {"member uv_statfs_t.f_files", "offsetof", 40, (long long)offsetof(uv_statfs_t, f_files)},
    {"member uv_statfs_t.f_files", "sizeof", 8, (long long)MEMBER_SIZE(uv_statfs_t, f_files)},
    {"member uv_statfs_t.f_ffree", "offsetof", 48, (long long)offsetof(uv_statfs_t, f_ffree)},
    {"member uv_statfs_t.f_ffree", "sizeof", 8, (long long)MEMBER_SIZE(uv_statfs_t, f_ffree)},
    {"member uv_statfs_t.f_frsize", "offsetof", 56, (long long)offsetof(uv_statfs_t, f_frsize)},
    {"member uv_statfs_t.f_frsize", "sizeof", 8, (long long)MEMBER_SIZE(uv_statfs_t, f_frsize)},
    {"member uv_statfs_t.f_spare", "offsetof", 64, (long long)offsetof(uv_statfs_t, f_spare)},
    {"member uv_statfs_t.f_spare", "sizeof", 24, (long long)MEMBER_SIZE(uv_statfs_t, f_spare)},
    {"member uv_stdio_container_t.flags", "offsetof", 0, (long long)offsetof(uv_stdio_container_t, flags)},
    {"member uv_stdio_container_t.flags", "sizeof", 4, (long long)MEMBER_SIZE(uv_stdio_container_t, flags)},
    {"member uv_stdio_container_t.data", "offsetof", 8, (long long)offsetof(uv_stdio_container_t, data)},
    {"member uv_stdio_container_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_stdio_container_t, data)},
    {"member uv_stdio_container_t.data.stream", "offsetof", 8, (long long)offsetof(uv_stdio_container_t, data.stream)},
    {"member uv_stdio_container_t.data.stream", "sizeof", 8, (long long)MEMBER_SIZE(uv_stdio_container_t, data.stream)},
    {"member uv_stdio_container_t.data.fd", "offsetof", 8, (long long)offsetof(uv_stdio_container_t, data.fd)},
    {"member uv_stdio_container_t.data.fd", "sizeof", 4, (long long)MEMBER_SIZE(uv_stdio_container_t, data.fd)},
    {"member uv_stream_t.data", "offsetof", 0, (long long)offsetof(uv_stream_t, data)},
    {"member uv_stream_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_stream_t, data)},
    {"member uv_stream_t.loop", "offsetof", 8, (long long)offsetof(uv_stream_t, loop)},
    {"member uv_stream_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_stream_t, loop)},
    {"member uv_stream_t.type", "offsetof", 16, (long long)offsetof(uv_stream_t, type)},
    {"member uv_stream_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_stream_t, type)},
    {"member uv_stream_t.write_queue_size", "offsetof", 96, (long long)offsetof(uv_stream_t, write_queue_size)},
    {"member uv_stream_t.write_queue_size", "sizeof", 8, (long long)MEMBER_SIZE(uv_stream_t, write_queue_size)},
    {"member uv_stream_t.alloc_cb", "offsetof", 104, (long long)offsetof(uv_stream_t, alloc_cb)},
    {"member uv_stream_t.alloc_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_stream_t, alloc_cb)},
    {"member uv_stream_t.read_cb", "offsetof", 112, (long long)offsetof(uv_stream_t, read_cb)},
    {"member uv_stream_t.read_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_stream_t, read_cb)},
    {"member uv_tcp_t.data", "offsetof", 0, (long long)offsetof(uv_tcp_t, data)},
    {"member uv_tcp_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_tcp_t, data)},
    {"member uv_tcp_t.loop", "offsetof", 8, (long long)offsetof(uv_tcp_t, loop)},
    {"member uv_tcp_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_tcp_t, loop)},
    {"member uv_tcp_t.type", "offsetof", 16, (long long)offsetof(uv_tcp_t, type)},
    {"member uv_tcp_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_tcp_t, type)},
    {"member uv_tcp_t.write_queue_size", "offsetof", 96, (long long)offsetof(uv_tcp_t, write_queue_size)},
    {"member uv_tcp_t.write_queue_size", "sizeof", 8, (long long)MEMBER_SIZE(uv_tcp_t, write_queue_size)},
    {"member uv_tcp_t.alloc_cb", "offsetof", 104, (long long)offsetof(uv_tcp_t, alloc_cb)},
    {"member uv_tcp_t.alloc_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_tcp_t, alloc_cb)},
    {"member uv_tcp_t.read_cb", "offsetof", 112, (long long)offsetof(uv_tcp_t, read_cb)},
    {"member uv_tcp_t.read_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_tcp_t, read_cb)},
    {"member uv_thread_options_t.flags", "offsetof", 0, (long long)offsetof(uv_thread_options_t, flags)},
    {"member uv_thread_options_t.flags", "sizeof", 4, (long long)MEMBER_SIZE(uv_thread_options_t, flags)},
    {"member uv_thread_options_t.stack_size", "offsetof", 8, (long long)offsetof(uv_thread_options_t, stack_size)},
    {"member uv_thread_options_t.stack_size", "sizeof", 8, (long long)MEMBER_SIZE(uv_thread_options_t, stack_size)},
    {"member uv_timer_t.data", "offsetof", 0, (long long)offsetof(uv_timer_t, data)},
    {"member uv_timer_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_timer_t, data)},
    {"member uv_timer_t.loop", "offsetof", 8, (long long)offsetof(uv_timer_t, loop)},
    {"member uv_timer_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_timer_t, loop)},
    {"member uv_timer_t.type", "offsetof", 16, (long long)offsetof(uv_timer_t, type)},
    {"member uv_timer_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_timer_t, type)},
    {"member uv_timespec64_t.tv_sec", "offsetof", 0, (long long)offsetof(uv_timespec64_t, tv_sec)},
    {"member uv_timespec64_t.tv_sec", "sizeof", 8, (long long)MEMBER_SIZE(uv_timespec64_t, tv_sec)},
    {"member uv_timespec64_t.tv_nsec", "offsetof", 8, (long long)offsetof(uv_timespec64_t, tv_nsec)},
    {"member uv_timespec64_t.tv_nsec", "sizeof", 4, (long long)MEMBER_SIZE(uv_timespec64_t, tv_nsec)},
    {"member uv_timespec_t.tv_sec", "offsetof", 0, (long long)offsetof(uv_timespec_t, tv_sec)},
    {"member uv_timespec_t.tv_sec", "sizeof", 8, (long long)MEMBER_SIZE(uv_timespec_t, tv_sec)},
    {"member uv_timespec_t.tv_nsec", "offsetof", 8, (long long)offsetof(uv_timespec_t, tv_nsec)},
    {"member uv_timespec_t.tv_nsec", "sizeof", 8, (long long)MEMBER_SIZE(uv_timespec_t, tv_nsec)},
    {"member uv_timeval64_t.tv_sec", "offsetof", 0, (long long)offsetof(uv_timeval64_t, tv_sec)},
    {"member uv_timeval64_t.tv_sec", "sizeof", 8, (long long)MEMBER_SIZE(uv_timeval64_t, tv_sec)},
    {"member uv_timeval64_t.tv_usec", "offsetof", 8, (long long)offsetof(uv_timeval64_t, tv_usec)},
    {"member uv_timeval64_t.tv_usec", "sizeof", 4, (long long)MEMBER_SIZE(uv_timeval64_t, tv_usec)},
    {"member uv_timeval_t.tv_sec", "offsetof", 0, (long long)offsetof(uv_timeval_t, tv_sec)},
    {"member uv_timeval_t.tv_sec", "sizeof", 8, (long long)MEMBER_SIZE(uv_timeval_t, tv_sec)},
    {"member uv_timeval_t.tv_usec", "offsetof", 8, (long long)offsetof(uv_timeval_t, tv_usec)},
    {"member uv_timeval_t.tv_usec", "sizeof", 8, (long long)MEMBER_SIZE(uv_timeval_t, tv_usec)},
    {"member uv_tty_t.data", "offsetof", 0, (long long)offsetof(uv_tty_t, data)},
    {"member uv_tty_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_tty_t, data)},
    {"member uv_tty_t.loop", "offsetof", 8, (long long)offsetof(uv_tty_t, loop)},
    {"member uv_tty_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_tty_t, loop)},
    {"member uv_tty_t.type", "offsetof", 16, (long long)offsetof(uv_tty_t, type)},
    {"member uv_tty_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_tty_t, type)},
    {"member uv_tty_t.write_queue_size", "offsetof", 96, (long long)offsetof(uv_tty_t, write_queue_size)},
    {"member uv_tty_t.write_queue_size", "sizeof", 8, (long long)MEMBER_SIZE(uv_tty_t, write_queue_size)},
    {"member uv_tty_t.alloc_cb", "offsetof", 104, (long long)offsetof(uv_tty_t, alloc_cb)},
    {"member uv_tty_t.alloc_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_tty_t, alloc_cb)},
    {"member uv_tty_t.read_cb", "offsetof", 112, (long long)offsetof(uv_tty_t, read_cb)},
    {"member uv_tty_t.read_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_tty_t, read_cb)},
    {"member uv_udp_send_t.data", "offsetof", 0, (long long)offsetof(uv_udp_send_t, data)},
    {"member uv_udp_send_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_udp_send_t, data)},
    {"member uv_udp_send_t.type", "offsetof", 8, (long long)offsetof(uv_udp_send_t, type)},
    {"member uv_udp_send_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_udp_send_t, type)},
    {"member uv_udp_send_t.handle", "offsetof", 64, (long long)offsetof(uv_udp_send_t, handle)},
    {"member uv_udp_send_t.handle", "sizeof", 8, (long long)MEMBER_SIZE(uv_udp_send_t, handle)},
    {"member uv_udp_send_t.cb", "offsetof", 72, (long long)offsetof(uv_udp_send_t, cb)},
    {"member uv_udp_send_t.cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_udp_send_t, cb)},
    {"member uv_udp_t.data", "offsetof", 0, (long long)offsetof(uv_udp_t, data)},
    {"member uv_udp_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_udp_t, data)},
    {"member uv_udp_t.loop", "offsetof", 8, (long long)offsetof(uv_udp_t, loop)},
    {"member uv_udp_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_udp_t, loop)},
    {"member uv_udp_t.type", "offsetof", 16, (long long)offsetof(uv_udp_t, type)},
    {"member uv_udp_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_udp_t, type)},
    {"member uv_udp_t.send_queue_size", "offsetof", 96, (long long)offsetof(uv_udp_t, send_queue_size)},
    {"member uv_udp_t.send_queue_size", "sizeof", 8, (long long)MEMBER_SIZE(uv_udp_t, send_queue_size)},
    {"member uv_udp_t.send_queue_count", "offsetof", 104, (long long)offsetof(uv_udp_t, send_queue_count)},
    {"member uv_udp_t.send_queue_count", "sizeof", 8, (long long)MEMBER_SIZE(uv_udp_t, send_queue_count)},
    {"member uv_utsname_t.sysname", "offsetof", 0, (long long)offsetof(uv_utsname_t, sysname)},
    {"member uv_utsname_t.sysname", "sizeof", 256, (long long)MEMBER_SIZE(uv_utsname_t, sysname)},
    {"member uv_utsname_t.release", "offsetof", 256, (long long)offsetof(uv_utsname_t, release)},
    {"member uv_utsname_t.release", "sizeof", 256, (long long)MEMBER_SIZE(uv_utsname_t, release)},
    {"member uv_utsname_t.version", "offsetof", 512, (long long)offsetof(uv_utsname_t, version)},
    {"member uv_utsname_t.version", "sizeof", 256, (long long)MEMBER_SIZE(uv_utsname_t, version)},
    {"member uv_utsname_t.machine", "offsetof", 768, (long long)offsetof(uv_utsname_t, machine)},
    {"member uv_utsname_t.machine", "sizeof", 256, (long long)MEMBER_SIZE(uv_utsname_t, machine)},
    {"member uv_work_t.data", "offsetof", 0, (long long)offsetof(uv_work_t, data)},
    {"member uv_work_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_work_t, data)},
    {"member uv_work_t.type", "offsetof", 8, (long long)offsetof(uv_work_t, type)},
    {"member uv_work_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_work_t, type)},
    {"member uv_work_t.loop", "offsetof", 64, (long long)offsetof(uv_work_t, loop)},
    {"member uv_work_t.loop", "sizeof", 8, (long long)MEMBER_SIZE(uv_work_t, loop)},
    {"member uv_work_t.work_cb", "offsetof", 72, (long long)offsetof(uv_work_t, work_cb)},
    {"member uv_work_t.work_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_work_t, work_cb)},
    {"member uv_work_t.after_work_cb", "offsetof", 80, (long long)offsetof(uv_work_t, after_work_cb)},
    {"member uv_work_t.after_work_cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_work_t, after_work_cb)},
    {"member uv_write_t.data", "offsetof", 0, (long long)offsetof(uv_write_t, data)},
    {"member uv_write_t.data", "sizeof", 8, (long long)MEMBER_SIZE(uv_write_t, data)},
    {"member uv_write_t.type", "offsetof", 8, (long long)offsetof(uv_write_t, type)},
    {"member uv_write_t.type", "sizeof", 4, (long long)MEMBER_SIZE(uv_write_t, type)},
    {"member uv_write_t.cb", "offsetof", 64, (long long)offsetof(uv_write_t, cb)},
    {"member uv_write_t.cb", "sizeof", 8, (long long)MEMBER_SIZE(uv_write_t, cb)},
    {"member uv_write_t.send_handle", "offsetof", 72, (long long)offsetof(uv_write_t, send_handle)},
    {"member uv_write_t.send_handle", "sizeof", 8, (long long)MEMBER_SIZE(uv_write_t, send_handle)},
    {"member uv_write_t.handle", "offsetof", 80, (long long)offsetof(uv_write_t, handle)},
    {"member uv_write_t.handle", "sizeof", 8, (long long)MEMBER_SIZE(uv_write_t, handle)},
};

static const struct abi_check const_checks[] = {
    {"const UV_CHANGE", "value", 2LL, (long long)(UV_CHANGE)},
    {"const UV_CLOCK_MONOTONIC", "value", 0LL, (long long)(UV_CLOCK_MONOTONIC)},
    {"const UV_CLOCK_REALTIME", "value", 1LL, (long long)(UV_CLOCK_REALTIME)},
    {"const UV_CREATE_PIPE", "value", 1LL, (long long)(UV_CREATE_PIPE)},
    {"const UV_DIRENT_BLOCK", "value", 7LL, (long long)(UV_DIRENT_BLOCK)},
    {"const UV_DIRENT_CHAR", "value", 6LL, (long long)(UV_DIRENT_CHAR)},
    {"const UV_DIRENT_DIR", "value", 2LL, (long long)(UV_DIRENT_DIR)},
    {"const UV_DIRENT_FIFO", "value", 4LL, (long long)(UV_DIRENT_FIFO)},
    {"const UV_DIRENT_FILE", "value", 1LL, (long long)(UV_DIRENT_FILE)},
    {"const UV_DIRENT_LINK", "value", 3LL, (long long)(UV_DIRENT_LINK)},
    {"const UV_DIRENT_SOCKET", "value", 5LL, (long long)(UV_DIRENT_SOCKET)},
    {"const UV_DIRENT_UNKNOWN", "value", 0LL, (long long)(UV_DIRENT_UNKNOWN)},
    {"const UV_DISCONNECT", "value", 4LL, (long long)(UV_DISCONNECT)},
    {"const UV_ERRNO_MAX", "value", -4096LL, (long long)(UV_ERRNO_MAX)},
    {"const UV_FILE", "value", 17LL, (long long)(UV_FILE)},
    {"const UV_FS_ACCESS", "value", 12LL, (long long)(UV_FS_ACCESS)},
    {"const UV_FS_CHMOD", "value", 13LL, (long long)(UV_FS_CHMOD)},
    {"const UV_FS_CHOWN", "value", 26LL, (long long)(UV_FS_CHOWN)},
    {"const UV_FS_CLOSE", "value", 2LL, (long long)(UV_FS_CLOSE)},
    {"const UV_FS_CLOSEDIR", "value", 33LL, (long long)(UV_FS_CLOSEDIR)},
    {"const UV_FS_COPYFILE", "value", 29LL, (long long)(UV_FS_COPYFILE)},
    {"const UV_FS_COPYFILE_EXCL", "value", 1LL, (long long)(UV_FS_COPYFILE_EXCL)},
    {"const UV_FS_COPYFILE_FICLONE", "value", 2LL, (long long)(UV_FS_COPYFILE_FICLONE)},
    {"const UV_FS_COPYFILE_FICLONE_FORCE", "value", 4LL, (long long)(UV_FS_COPYFILE_FICLONE_FORCE)},
    {"const UV_FS_CUSTOM", "value", 0LL, (long long)(UV_FS_CUSTOM)},
    {"const UV_FS_EVENT_RECURSIVE", "value", 4LL, (long long)(UV_FS_EVENT_RECURSIVE)},
    {"const UV_FS_EVENT_STAT", "value", 2LL, (long long)(UV_FS_EVENT_STAT)},
    {"const UV_FS_EVENT_WATCH_ENTRY", "value", 1LL, (long long)(UV_FS_EVENT_WATCH_ENTRY)},
    {"const UV_FS_FCHMOD", "value", 14LL, (long long)(UV_FS_FCHMOD)},
    {"const UV_FS_FCHOWN", "value", 27LL, (long long)(UV_FS_FCHOWN)},
    {"const UV_FS_FDATASYNC", "value", 16LL, (long long)(UV_FS_FDATASYNC)},
    {"const UV_FS_FSTAT", "value", 8LL, (long long)(UV_FS_FSTAT)},
    {"const UV_FS_FSYNC", "value", 15LL, (long long)(UV_FS_FSYNC)},
    {"const UV_FS_FTRUNCATE", "value", 9LL, (long long)(UV_FS_FTRUNCATE)},
    {"const UV_FS_FUTIME", "value", 11LL, (long long)(UV_FS_FUTIME)},
    {"const UV_FS_LCHOWN", "value", 30LL, (long long)(UV_FS_LCHOWN)},
    {"const UV_FS_LINK", "value", 23LL, (long long)(UV_FS_LINK)},
    {"const UV_FS_LSTAT", "value", 7LL, (long long)(UV_FS_LSTAT)},
    {"const UV_FS_LUTIME", "value", 36LL, (long long)(UV_FS_LUTIME)},
    {"const UV_FS_MKDIR", "value", 19LL, (long long)(UV_FS_MKDIR)},
    {"const UV_FS_MKDTEMP", "value", 20LL, (long long)(UV_FS_MKDTEMP)},
    {"const UV_FS_MKSTEMP", "value", 35LL, (long long)(UV_FS_MKSTEMP)},
    {"const UV_FS_OPEN", "value", 1LL, (long long)(UV_FS_OPEN)},
    {"const UV_FS_OPENDIR", "value", 31LL, (long long)(UV_FS_OPENDIR)},
    {"const UV_FS_READ", "value", 3LL, (long long)(UV_FS_READ)},
    {"const UV_FS_READDIR", "value", 32LL, (long long)(UV_FS_READDIR)},
    {"const UV_FS_READLINK", "value", 25LL, (long long)(UV_FS_READLINK)},
    {"const UV_FS_REALPATH", "value", 28LL, (long long)(UV_FS_REALPATH)},
    {"const UV_FS_RENAME", "value", 21LL, (long long)(UV_FS_RENAME)},
    {"const UV_FS_RMDIR", "value", 18LL, (long long)(UV_FS_RMDIR)},
    {"const UV_FS_SCANDIR", "value", 22LL, (long long)(UV_FS_SCANDIR)},
    {"const UV_FS_SENDFILE", "value", 5LL, (long long)(UV_FS_SENDFILE)},
    {"const UV_FS_STAT", "value", 6LL, (long long)(UV_FS_STAT)},
    {"const UV_FS_STATFS", "value", 34LL, (long long)(UV_FS_STATFS)},
    {"const UV_FS_SYMLINK", "value", 24LL, (long long)(UV_FS_SYMLINK)},
    {"const UV_FS_SYMLINK_DIR", "value", 1LL, (long long)(UV_FS_SYMLINK_DIR)},
    {"const UV_FS_SYMLINK_JUNCTION", "value", 2LL, (long long)(UV_FS_SYMLINK_JUNCTION)},
    {"const UV_FS_UNKNOWN", "value", -1LL, (long long)(UV_FS_UNKNOWN)},
    {"const UV_FS_UNLINK", "value", 17LL, (long long)(UV_FS_UNLINK)},
    {"const UV_FS_UTIME", "value", 10LL, (long long)(UV_FS_UTIME)},
    {"const UV_FS_WRITE", "value", 4LL, (long long)(UV_FS_WRITE)},
    {"const UV_HANDLE_TYPE_MAX", "value", 18LL, (long long)(UV_HANDLE_TYPE_MAX)},
    {"const UV_IF_NAMESIZE", "value", 17LL, (long long)(UV_IF_NAMESIZE)},
    {"const UV_IGNORE", "value", 0LL, (long long)(UV_IGNORE)},
    {"const UV_INHERIT_FD", "value", 2LL, (long long)(UV_INHERIT_FD)},
    {"const UV_INHERIT_STREAM", "value", 4LL, (long long)(UV_INHERIT_STREAM)},
    {"const UV_JOIN_GROUP", "value", 1LL, (long long)(UV_JOIN_GROUP)},
    {"const UV_LEAVE_GROUP", "value", 0LL, (long long)(UV_LEAVE_GROUP)},
    {"const UV_LOOP_BLOCK_SIGNAL", "value", 0LL, (long long)(UV_LOOP_BLOCK_SIGNAL)},
    {"const UV_LOOP_USE_IO_URING_SQPOLL", "value", 2LL, (long long)(UV_LOOP_USE_IO_URING_SQPOLL)},
    {"const UV_MAXHOSTNAMESIZE", "value", 65LL, (long long)(UV_MAXHOSTNAMESIZE)},
    {"const UV_METRICS_IDLE_TIME", "value", 1LL, (long long)(UV_METRICS_IDLE_TIME)},
    {"const UV_NONBLOCK_PIPE", "value", 64LL, (long long)(UV_NONBLOCK_PIPE)},
    {"const UV_OVERLAPPED_PIPE", "value", 64LL, (long long)(UV_OVERLAPPED_PIPE)},
    {"const UV_PIPE_NO_TRUNCATE", "value", 1LL, (long long)(UV_PIPE_NO_TRUNCATE)},
    {"const UV_PRIORITIZED", "value", 8LL, (long long)(UV_PRIORITIZED)},
    {"const UV_PRIORITY_ABOVE_NORMAL", "value", -7LL, (long long)(UV_PRIORITY_ABOVE_NORMAL)},
    {"const UV_PRIORITY_BELOW_NORMAL", "value", 10LL, (long long)(UV_PRIORITY_BELOW_NORMAL)},
    {"const UV_PRIORITY_HIGH", "value", -14LL, (long long)(UV_PRIORITY_HIGH)},
    {"const UV_PRIORITY_HIGHEST", "value", -20LL, (long long)(UV_PRIORITY_HIGHEST)},
    {"const UV_PRIORITY_LOW", "value", 19LL, (long long)(UV_PRIORITY_LOW)},
    {"const UV_PRIORITY_NORMAL", "value", 0LL, (long long)(UV_PRIORITY_NORMAL)},
    {"const UV_PROCESS_DETACHED", "value", 8LL, (long long)(UV_PROCESS_DETACHED)},
    {"const UV_PROCESS_SETGID", "value", 2LL, (long long)(UV_PROCESS_SETGID)},
    {"const UV_PROCESS_SETUID", "value", 1LL, (long long)(UV_PROCESS_SETUID)},
    {"const UV_PROCESS_WINDOWS_FILE_PATH_EXACT_NAME", "value", 128LL, (long long)(UV_PROCESS_WINDOWS_FILE_PATH_EXACT_NAME)},
    {"const UV_PROCESS_WINDOWS_HIDE", "value", 16LL, (long long)(UV_PROCESS_WINDOWS_HIDE)},
    {"const UV_PROCESS_WINDOWS_HIDE_CONSOLE", "value", 32LL, (long long)(UV_PROCESS_WINDOWS_HIDE_CONSOLE)},
    {"const UV_PROCESS_WINDOWS_HIDE_GUI", "value", 64LL, (long long)(UV_PROCESS_WINDOWS_HIDE_GUI)},
    {"const UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS", "value", 4LL, (long long)(UV_PROCESS_WINDOWS_VERBATIM_ARGUMENTS)},
    {"const UV_READABLE", "value", 1LL, (long long)(UV_READABLE)},
    {"const UV_READABLE_PIPE", "value", 16LL, (long long)(UV_READABLE_PIPE)},
    {"const UV_RENAME", "value", 1LL, (long long)(UV_RENAME)},
    {"const UV_REQ_TYPE_MAX", "value", 11LL, (long long)(UV_REQ_TYPE_MAX)},
    {"const UV_RUN_DEFAULT", "value", 0LL, (long long)(UV_RUN_DEFAULT)},
    {"const UV_RUN_NOWAIT", "value", 2LL, (long long)(UV_RUN_NOWAIT)},
    {"const UV_RUN_ONCE", "value", 1LL, (long long)(UV_RUN_ONCE)},
    {"const UV_TCP_IPV6ONLY", "value", 1LL, (long long)(UV_TCP_IPV6ONLY)},
    {"const UV_TCP_REUSEPORT", "value", 2LL, (long long)(UV_TCP_REUSEPORT)},
    {"const UV_THREAD_HAS_STACK_SIZE", "value", 1LL, (long long)(UV_THREAD_HAS_STACK_SIZE)},
    {"const UV_THREAD_NO_FLAGS", "value", 0LL, (long long)(UV_THREAD_NO_FLAGS)},
    {"const UV_THREAD_PRIORITY_ABOVE_NORMAL", "value", 1LL, (long long)(UV_THREAD_PRIORITY_ABOVE_NORMAL)},
    {"const UV_THREAD_PRIORITY_BELOW_NORMAL", "value", -1LL, (long long)(UV_THREAD_PRIORITY_BELOW_NORMAL)},
    {"const UV_THREAD_PRIORITY_HIGHEST", "value", 2LL, (long long)(UV_THREAD_PRIORITY_HIGHEST)},
    {"const UV_THREAD_PRIORITY_LOWEST", "value", -2LL, (long long)(UV_THREAD_PRIORITY_LOWEST)},
    {"const UV_THREAD_PRIORITY_NORMAL", "value", 0LL, (long long)(UV_THREAD_PRIORITY_NORMAL)},
    {"const UV_TTY_MODE_IO", "value", 2LL, (long long)(UV_TTY_MODE_IO)},
    {"const UV_TTY_MODE_NORMAL", "value", 0LL, (long long)(UV_TTY_MODE_NORMAL)},
    {"const UV_TTY_MODE_RAW", "value", 1LL, (long long)(UV_TTY_MODE_RAW)},
    {"const UV_TTY_MODE_RAW_VT", "value", 3LL, (long long)(UV_TTY_MODE_RAW_VT)},
    {"const UV_TTY_SUPPORTED", "value", 0LL, (long long)(UV_TTY_SUPPORTED)},
    {"const UV_TTY_UNSUPPORTED", "value", 1LL, (long long)(UV_TTY_UNSUPPORTED)},
    {"const UV_UDP_IPV6ONLY", "value", 1LL, (long long)(UV_UDP_IPV6ONLY)},
    {"const UV_UDP_LINUX_RECVERR", "value", 32LL, (long long)(UV_UDP_LINUX_RECVERR)},
    {"const UV_UDP_MMSG_CHUNK", "value", 8LL, (long long)(UV_UDP_MMSG_CHUNK)},
    {"const UV_UDP_MMSG_FREE", "value", 16LL, (long long)(UV_UDP_MMSG_FREE)},
    {"const UV_UDP_PARTIAL", "value", 2LL, (long long)(UV_UDP_PARTIAL)},
    {"const UV_UDP_RECVMMSG", "value", 256LL, (long long)(UV_UDP_RECVMMSG)},
    {"const UV_UDP_REUSEADDR", "value", 4LL, (long long)(UV_UDP_REUSEADDR)},
    {"const UV_UDP_REUSEPORT", "value", 64LL, (long long)(UV_UDP_REUSEPORT)},
    {"const UV_UNKNOWN_HANDLE", "value", 0LL, (long long)(UV_UNKNOWN_HANDLE)},
    {"const UV_UNKNOWN_REQ", "value", 0LL, (long long)(UV_UNKNOWN_REQ)},
    {"const UV_WRITABLE", "value", 2LL, (long long)(UV_WRITABLE)},
    {"const UV_WRITABLE_PIPE", "value", 32LL, (long long)(UV_WRITABLE_PIPE)},
    {"const UV_FS_O_APPEND", "value", 1024LL, (long long)(UV_FS_O_APPEND)},
    {"const UV_FS_O_CREAT", "value", 64LL, (long long)(UV_FS_O_CREAT)},
    {"const UV_FS_O_DIRECT", "value", 16384LL, (long long)(UV_FS_O_DIRECT)},
    {"const UV_FS_O_DIRECTORY", "value", 65536LL, (long long)(UV_FS_O_DIRECTORY)},
    {"const UV_FS_O_DSYNC", "value", 4096LL, (long long)(UV_FS_O_DSYNC)},
    {"const UV_FS_O_EXCL", "value", 128LL, (long long)(UV_FS_O_EXCL)},
    {"const UV_FS_O_EXLOCK", "value", 0LL, (long long)(UV_FS_O_EXLOCK)},
    {"const UV_FS_O_FILEMAP", "value", 0LL, (long long)(UV_FS_O_FILEMAP)},
    {"const UV_FS_O_NOATIME", "value", 262144LL, (long long)(UV_FS_O_NOATIME)},
    {"const UV_FS_O_NOCTTY", "value", 256LL, (long long)(UV_FS_O_NOCTTY)},
    {"const UV_FS_O_NOFOLLOW", "value", 131072LL, (long long)(UV_FS_O_NOFOLLOW)},
    {"const UV_FS_O_NONBLOCK", "value", 2048LL, (long long)(UV_FS_O_NONBLOCK)},
    {"const UV_FS_O_RANDOM", "value", 0LL, (long long)(UV_FS_O_RANDOM)},
    {"const UV_FS_O_RDONLY", "value", 0LL, (long long)(UV_FS_O_RDONLY)},
    {"const UV_FS_O_RDWR", "value", 2LL, (long long)(UV_FS_O_RDWR)},
    {"const UV_FS_O_SEQUENTIAL", "value", 0LL, (long long)(UV_FS_O_SEQUENTIAL)},
    {"const UV_FS_O_SHORT_LIVED", "value", 0LL, (long long)(UV_FS_O_SHORT_LIVED)},
    {"const UV_FS_O_SYMLINK", "value", 0LL, (long long)(UV_FS_O_SYMLINK)},
    {"const UV_FS_O_SYNC", "value", 1052672LL, (long long)(UV_FS_O_SYNC)},
    {"const UV_FS_O_TEMPORARY", "value", 0LL, (long long)(UV_FS_O_TEMPORARY)},
    {"const UV_FS_O_TRUNC", "value", 512LL, (long long)(UV_FS_O_TRUNC)},
    {"const UV_FS_O_WRONLY", "value", 1LL, (long long)(UV_FS_O_WRONLY)},
    {"const UV_VERSION_HEX", "value", 78849LL, (long long)(UV_VERSION_HEX)},
    {"const UV_VERSION_MAJOR", "value", 1LL, (long long)(UV_VERSION_MAJOR)},
    {"const UV_VERSION_MINOR", "value", 52LL, (long long)(UV_VERSION_MINOR)},
    {"const UV_VERSION_PATCH", "value", 1LL, (long long)(UV_VERSION_PATCH)},
    {"const UV_ASYNC", "value", 1LL, (long long)(UV_ASYNC)},
    {"const UV_CHECK", "value", 2LL, (long long)(UV_CHECK)},
    {"const UV_FS_EVENT", "value", 3LL, (long long)(UV_FS_EVENT)},
    {"const UV_FS_POLL", "value", 4LL, (long long)(UV_FS_POLL)},
    {"const UV_HANDLE", "value", 5LL, (long long)(UV_HANDLE)},
    {"const UV_IDLE", "value", 6LL, (long long)(UV_IDLE)},
    {"const UV_NAMED_PIPE", "value", 7LL, (long long)(UV_NAMED_PIPE)},
    {"const UV_POLL", "value", 8LL, (long long)(UV_POLL)},
    {"const UV_PREPARE", "value", 9LL, (long long)(UV_PREPARE)},
    {"const UV_PROCESS", "value", 10LL, (long long)(UV_PROCESS)},
    {"const UV_STREAM", "value", 11LL, (long long)(UV_STREAM)},
    {"const UV_TCP", "value", 12LL, (long long)(UV_TCP)},
    {"const UV_TIMER", "value", 13LL, (long long)(UV_TIMER)},
    {"const UV_TTY", "value", 14LL, (long long)(UV_TTY)},
    {"const UV_UDP", "value", 15LL, (long long)(UV_UDP)},
    {"const UV_SIGNAL", "value", 16LL, (long long)(UV_SIGNAL)},
    {"const UV_REQ", "value", 1LL, (long long)(UV_REQ)},
    {"const UV_CONNECT", "value", 2LL, (long long)(UV_CONNECT)},
    {"const UV_WRITE", "value", 3LL, (long long)(UV_WRITE)},
    {"const UV_SHUTDOWN", "value", 4LL, (long long)(UV_SHUTDOWN)},
    {"const UV_UDP_SEND", "value", 5LL, (long long)(UV_UDP_SEND)},
    {"const UV_FS", "value", 6LL, (long long)(UV_FS)},
    {"const UV_WORK", "value", 7LL, (long long)(UV_WORK)},
    {"const UV_GETADDRINFO", "value", 8LL, (long long)(UV_GETADDRINFO)},
    {"const UV_GETNAMEINFO", "value", 9LL, (long long)(UV_GETNAMEINFO)},
    {"const UV_RANDOM", "value", 10LL, (long long)(UV_RANDOM)},
    {"const UV_E2BIG", "value", -7LL, (long long)(UV_E2BIG)},
    {"const UV_EACCES", "value", -13LL, (long long)(UV_EACCES)},
    {"const UV_EADDRINUSE", "value", -98LL, (long long)(UV_EADDRINUSE)},
    {"const UV_EADDRNOTAVAIL", "value", -99LL, (long long)(UV_EADDRNOTAVAIL)},
    {"const UV_EAFNOSUPPORT", "value", -97LL, (long long)(UV_EAFNOSUPPORT)},
    {"const UV_EAGAIN", "value", -11LL, (long long)(UV_EAGAIN)},
    {"const UV_EAI_ADDRFAMILY", "value", -3000LL, (long long)(UV_EAI_ADDRFAMILY)},
    {"const UV_EAI_AGAIN", "value", -3001LL, (long long)(UV_EAI_AGAIN)},
    {"const UV_EAI_BADFLAGS", "value", -3002LL, (long long)(UV_EAI_BADFLAGS)},
    {"const UV_EAI_BADHINTS", "value", -3013LL, (long long)(UV_EAI_BADHINTS)},
    {"const UV_EAI_CANCELED", "value", -3003LL, (long long)(UV_EAI_CANCELED)},
    {"const UV_EAI_FAIL", "value", -3004LL, (long long)(UV_EAI_FAIL)},
    {"const UV_EAI_FAMILY", "value", -3005LL, (long long)(UV_EAI_FAMILY)},
    {"const UV_EAI_MEMORY", "value", -3006LL, (long long)(UV_EAI_MEMORY)},
    {"const UV_EAI_NODATA", "value", -3007LL, (long long)(UV_EAI_NODATA)},
    {"const UV_EAI_NONAME", "value", -3008LL, (long long)(UV_EAI_NONAME)},
    {"const UV_EAI_OVERFLOW", "value", -3009LL, (long long)(UV_EAI_OVERFLOW)},
    {"const UV_EAI_PROTOCOL", "value", -3014LL, (long long)(UV_EAI_PROTOCOL)},
    {"const UV_EAI_SERVICE", "value", -3010LL, (long long)(UV_EAI_SERVICE)},
    {"const UV_EAI_SOCKTYPE", "value", -3011LL, (long long)(UV_EAI_SOCKTYPE)},
    {"const UV_EALREADY", "value", -114LL, (long long)(UV_EALREADY)},
    {"const UV_EBADF", "value", -9LL, (long long)(UV_EBADF)},
    {"const UV_EBUSY", "value", -16LL, (long long)(UV_EBUSY)},
    {"const UV_ECANCELED", "value", -125LL, (long long)(UV_ECANCELED)},
    {"const UV_ECHARSET", "value", -4080LL, (long long)(UV_ECHARSET)},
    {"const UV_ECONNABORTED", "value", -103LL, (long long)(UV_ECONNABORTED)},
    {"const UV_ECONNREFUSED", "value", -111LL, (long long)(UV_ECONNREFUSED)},
    {"const UV_ECONNRESET", "value", -104LL, (long long)(UV_ECONNRESET)},
    {"const UV_EDESTADDRREQ", "value", -89LL, (long long)(UV_EDESTADDRREQ)},
    {"const UV_EEXIST", "value", -17LL, (long long)(UV_EEXIST)},
    {"const UV_EFAULT", "value", -14LL, (long long)(UV_EFAULT)},
    {"const UV_EFBIG", "value", -27LL, (long long)(UV_EFBIG)},
    {"const UV_EHOSTUNREACH", "value", -113LL, (long long)(UV_EHOSTUNREACH)},
    {"const UV_EINTR", "value", -4LL, (long long)(UV_EINTR)},
    {"const UV_EINVAL", "value", -22LL, (long long)(UV_EINVAL)},
    {"const UV_EIO", "value", -5LL, (long long)(UV_EIO)},
    {"const UV_EISCONN", "value", -106LL, (long long)(UV_EISCONN)},
    {"const UV_EISDIR", "value", -21LL, (long long)(UV_EISDIR)},
    {"const UV_ELOOP", "value", -40LL, (long long)(UV_ELOOP)},
    {"const UV_EMFILE", "value", -24LL, (long long)(UV_EMFILE)},
    {"const UV_EMSGSIZE", "value", -90LL, (long long)(UV_EMSGSIZE)},
    {"const UV_ENAMETOOLONG", "value", -36LL, (long long)(UV_ENAMETOOLONG)},
    {"const UV_ENETDOWN", "value", -100LL, (long long)(UV_ENETDOWN)},
    {"const UV_ENETUNREACH", "value", -101LL, (long long)(UV_ENETUNREACH)},
    {"const UV_ENFILE", "value", -23LL, (long long)(UV_ENFILE)},
    {"const UV_ENOBUFS", "value", -105LL, (long long)(UV_ENOBUFS)},
    {"const UV_ENODEV", "value", -19LL, (long long)(UV_ENODEV)},
    {"const UV_ENOENT", "value", -2LL, (long long)(UV_ENOENT)},
    {"const UV_ENOMEM", "value", -12LL, (long long)(UV_ENOMEM)},
    {"const UV_ENONET", "value", -64LL, (long long)(UV_ENONET)},
    {"const UV_ENOPROTOOPT", "value", -92LL, (long long)(UV_ENOPROTOOPT)},
    {"const UV_ENOSPC", "value", -28LL, (long long)(UV_ENOSPC)},
    {"const UV_ENOSYS", "value", -38LL, (long long)(UV_ENOSYS)},
    {"const UV_ENOTCONN", "value", -107LL, (long long)(UV_ENOTCONN)},
    {"const UV_ENOTDIR", "value", -20LL, (long long)(UV_ENOTDIR)},
    {"const UV_ENOTEMPTY", "value", -39LL, (long long)(UV_ENOTEMPTY)},
    {"const UV_ENOTSOCK", "value", -88LL, (long long)(UV_ENOTSOCK)},
    {"const UV_ENOTSUP", "value", -95LL, (long long)(UV_ENOTSUP)},
    {"const UV_EOVERFLOW", "value", -75LL, (long long)(UV_EOVERFLOW)},
    {"const UV_EPERM", "value", -1LL, (long long)(UV_EPERM)},
    {"const UV_EPIPE", "value", -32LL, (long long)(UV_EPIPE)},
    {"const UV_EPROTO", "value", -71LL, (long long)(UV_EPROTO)},
    {"const UV_EPROTONOSUPPORT", "value", -93LL, (long long)(UV_EPROTONOSUPPORT)},
    {"const UV_EPROTOTYPE", "value", -91LL, (long long)(UV_EPROTOTYPE)},
    {"const UV_ERANGE", "value", -34LL, (long long)(UV_ERANGE)},
    {"const UV_EROFS", "value", -30LL, (long long)(UV_EROFS)},
    {"const UV_ESHUTDOWN", "value", -108LL, (long long)(UV_ESHUTDOWN)},
    {"const UV_ESPIPE", "value", -29LL, (long long)(UV_ESPIPE)},
    {"const UV_ESRCH", "value", -3LL, (long long)(UV_ESRCH)},
    {"const UV_ETIMEDOUT", "value", -110LL, (long long)(UV_ETIMEDOUT)},
    {"const UV_ETXTBSY", "value", -26LL, (long long)(UV_ETXTBSY)},
    {"const UV_EXDEV", "value", -18LL, (long long)(UV_EXDEV)},
    {"const UV_UNKNOWN", "value", -4094LL, (long long)(UV_UNKNOWN)},
    {"const UV_EOF", "value", -4095LL, (long long)(UV_EOF)},
    {"const UV_ENXIO", "value", -6LL, (long long)(UV_ENXIO)},
    {"const UV_EMLINK", "value", -31LL, (long long)(UV_EMLINK)},
    {"const UV_EHOSTDOWN", "value", -112LL, (long long)(UV_EHOSTDOWN)},
    {"const UV_EREMOTEIO", "value", -121LL, (long long)(UV_EREMOTEIO)},
    {"const UV_ENOTTY", "value", -25LL, (long long)(UV_ENOTTY)},
    {"const UV_EFTYPE", "value", -4028LL, (long long)(UV_EFTYPE)},
    {"const UV_EILSEQ", "value", -84LL, (long long)(UV_EILSEQ)},
    {"const UV_ESOCKTNOSUPPORT", "value", -94LL, (long long)(UV_ESOCKTNOSUPPORT)},
    {"const UV_ENODATA", "value", -61LL, (long long)(UV_ENODATA)},
    {"const UV_EUNATCH", "value", -49LL, (long long)(UV_EUNATCH)},
    {"const UV_ENOEXEC", "value", -8LL, (long long)(UV_ENOEXEC)},
};

/* Reports every check that differs; returns how many did. */
static int report(const struct abi_check* c, size_t n) {
  int bad = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    if (c[i].eddy == c[i].libuv) continue;
    print_error("abi mismatch: %s: %s is %lld in eddy, %lld in libuv\n",
                c[i].row, c[i].what, c[i].eddy, c[i].libuv);
    bad++;
  }
  return bad;
}

static void types_have_libuvs_size_and_alignment(void** state) {
  int bad = report(type_checks, ARRAY_LEN(type_checks));
  (void)state;
  if (bad) fail_msg("%d type facts differ from libuv's", bad);
}

static void members_have_libuvs_offset_and_size(void** state) {
  int bad = report(member_checks, ARRAY_LEN(member_checks));
  (void)state;
  if (bad) fail_msg("%d member facts differ from libuv's", bad);
}

static void constants_have_libuvs_values(void** state) {
  int bad = report(const_checks, ARRAY_LEN(const_checks));
  (void)state;
  if (!(isinf((double)(UV_FS_UTIME_NOW)) && (double)(UV_FS_UTIME_NOW) > 0)) {
    print_error("abi mismatch: const UV_FS_UTIME_NOW is not +INFINITY\n");
    bad++;
  }
  if (!(isnan((double)(UV_FS_UTIME_OMIT)))) {
    print_error("abi mismatch: const UV_FS_UTIME_OMIT is not NAN\n");
    bad++;
  }
  if (bad) fail_msg("%d constants differ from libuv's", bad);
}

/* Each row of the table is checked exactly once. */
static void every_row_is_checked(void** state) {
  (void)state;
  assert_int_equal(ARRAY_LEN(type_checks), 2 * 64);
  assert_int_equal(ARRAY_LEN(member_checks), 2 * 221);
  assert_int_equal(ARRAY_LEN(type_checks) / 2 +
                       ARRAY_LEN(member_checks) / 2 +
                       ARRAY_LEN(const_checks) + 2,
                   ABI_ROWS);
}

static int check_size(const char* call, size_t eddy, size_t libuv) {
  if (eddy == libuv) return 0;
  print_error("abi mismatch: %s is %zu in eddy, %zu in libuv\n", call,
              eddy, libuv);
  return 1;
}

/* Programs allocate handles and requests of the size these report
 * (bindings for other languages do), so they must be libuv's too. */
static void size_functions_report_libuvs_sizes(void** state) {
  int bad = 0;
  (void)state;
  bad += check_size("uv_loop_size()", uv_loop_size(), 848);
  bad += check_size("uv_handle_size(UV_ASYNC)", uv_handle_size(UV_ASYNC), 128);
  bad += check_size("uv_handle_size(UV_CHECK)", uv_handle_size(UV_CHECK), 120);
  bad += check_size("uv_handle_size(UV_FS_EVENT)", uv_handle_size(UV_FS_EVENT), 136);
  bad += check_size("uv_handle_size(UV_FS_POLL)", uv_handle_size(UV_FS_POLL), 104);
  bad += check_size("uv_handle_size(UV_HANDLE)", uv_handle_size(UV_HANDLE), 96);
  bad += check_size("uv_handle_size(UV_IDLE)", uv_handle_size(UV_IDLE), 120);
  bad += check_size("uv_handle_size(UV_NAMED_PIPE)", uv_handle_size(UV_NAMED_PIPE), 264);
  bad += check_size("uv_handle_size(UV_POLL)", uv_handle_size(UV_POLL), 160);
  bad += check_size("uv_handle_size(UV_PREPARE)", uv_handle_size(UV_PREPARE), 120);
  bad += check_size("uv_handle_size(UV_PROCESS)", uv_handle_size(UV_PROCESS), 136);
  bad += check_size("uv_handle_size(UV_STREAM)", uv_handle_size(UV_STREAM), 248);
  bad += check_size("uv_handle_size(UV_TCP)", uv_handle_size(UV_TCP), 248);
  bad += check_size("uv_handle_size(UV_TIMER)", uv_handle_size(UV_TIMER), 152);
  bad += check_size("uv_handle_size(UV_TTY)", uv_handle_size(UV_TTY), 312);
  bad += check_size("uv_handle_size(UV_UDP)", uv_handle_size(UV_UDP), 216);
  bad += check_size("uv_handle_size(UV_SIGNAL)", uv_handle_size(UV_SIGNAL), 152);
  bad += check_size("uv_req_size(UV_REQ)", uv_req_size(UV_REQ), 64);
  bad += check_size("uv_req_size(UV_CONNECT)", uv_req_size(UV_CONNECT), 96);
  bad += check_size("uv_req_size(UV_WRITE)", uv_req_size(UV_WRITE), 192);
  bad += check_size("uv_req_size(UV_SHUTDOWN)", uv_req_size(UV_SHUTDOWN), 80);
  bad += check_size("uv_req_size(UV_UDP_SEND)", uv_req_size(UV_UDP_SEND), 320);
  bad += check_size("uv_req_size(UV_FS)", uv_req_size(UV_FS), 440);
  bad += check_size("uv_req_size(UV_WORK)", uv_req_size(UV_WORK), 128);
  bad += check_size("uv_req_size(UV_GETADDRINFO)", uv_req_size(UV_GETADDRINFO), 160);
  bad += check_size("uv_req_size(UV_GETNAMEINFO)", uv_req_size(UV_GETNAMEINFO), 1320);
  bad += check_size("uv_req_size(UV_RANDOM)", uv_req_size(UV_RANDOM), 144);
  if (bad) fail_msg("%d size functions differ from libuv's", bad);
}

/* libuv answers a type that is no handle or request with (size_t)-1. */
static void size_functions_refuse_unknown_types(void** state) {
  (void)state;
  assert_int_equal(uv_handle_size(UV_UNKNOWN_HANDLE), (size_t)-1);
  assert_int_equal(uv_handle_size(UV_FILE), (size_t)-1);
  assert_int_equal(uv_handle_size(UV_HANDLE_TYPE_MAX), (size_t)-1);
  assert_int_equal(uv_handle_size((uv_handle_type)1000), (size_t)-1);
  assert_int_equal(uv_req_size(UV_UNKNOWN_REQ), (size_t)-1);
  assert_int_equal(uv_req_size(UV_REQ_TYPE_MAX), (size_t)-1);
  assert_int_equal(uv_req_size((uv_req_type)1000), (size_t)-1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(types_have_libuvs_size_and_alignment),
      cmocka_unit_test(members_have_libuvs_offset_and_size),
      cmocka_unit_test(constants_have_libuvs_values),
      cmocka_unit_test(every_row_is_checked),
      cmocka_unit_test(size_functions_report_libuvs_sizes),
      cmocka_unit_test(size_functions_refuse_unknown_types),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#else /* !ABI_APPLIES */

static void abi_is_only_fixed_on_linux_x86_64(void** state) {
  (void)state;
  skip();
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(abi_is_only_fixed_on_linux_x86_64),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif /* ABI_APPLIES */
