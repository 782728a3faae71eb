/* abi-spawn-vfork — a libuv program that registers no fork handler, run on
 * eddy: uv_spawn must start its children with vfork (nothing needs fork's
 * pthread_atfork handlers), and with fork again once a library that can
 * register them is loaded (the system's libuv, which imports
 * __register_atfork for its thread pool, dlopen'd beside eddy).
 *
 * Seen without timing: a process of ours forbids itself, with a seccomp
 * filter, every clone() that does not share memory (fork), clone3 and the
 * fork system call; vfork (CLONE_VM) stays allowed.  Its spawn must
 * succeed; after the dlopen it must fail with UV_EPERM (fork tried).
 * EDDY_SPAWN=fork or vfork make it fail, as they should. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi-common.h"

static int exited;
static int64_t status;

static void on_exit_cb(uv_process_t* p, int64_t exit_status, int sig) {
  (void)sig;
  exited++;
  status = exit_status;
  uv_close((uv_handle_t*)p, NULL);
}

static int spawn_true(void) {
  uv_loop_t loop;
  uv_process_t p;
  uv_process_options_t o;
  char* args[] = {"/bin/true", NULL};
  int r;

  memset(&o, 0, sizeof(o));
  o.file = args[0];
  o.args = args;
  o.exit_cb = on_exit_cb;
  if (uv_loop_init(&loop) != 0) return -1000;
  exited = 0;
  r = uv_spawn(&loop, &p, &o);
  if (r != 0) uv_close((uv_handle_t*)&p, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  if (r == 0 && (exited != 1 || status != 0)) return -2000;
  return r;
}

/* clone without CLONE_VM, fork, clone3: EPERM.  Everything else allowed. */
static int forbid_fork(void) {
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_fork, 5, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 4, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 2),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_VM, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
  };
  struct sock_fprog prog = {sizeof(f) / sizeof(f[0]), f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* In a process of its own: 0 = vfork used, 1 = fork tried, else trouble. */
static int mode_in_child(int load_libuv) {
  pid_t pid = fork();
  int st;
  int r;

  if (pid < 0) return -1;
  if (pid == 0) {
    if (load_libuv &&
        dlopen(EDDY_ABI_SYSTEM_LIBUV, RTLD_NOW | RTLD_LOCAL) == NULL)
      _exit(10);
    if (forbid_fork() != 0) _exit(77);
    r = spawn_true();
    if (r == 0) _exit(0);
    if (r == UV_EPERM) _exit(1);
    _exit(11);
  }
  if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) return -1;
  return WEXITSTATUS(st);
}

int main(void) {
  int r;

  abi_check_running_on_eddy();
  ABI_CHECK_INT_EQ(spawn_true(), 0);
  r = mode_in_child(0);
  if (r == 77) {
    printf("abi-spawn-vfork: no seccomp here, nothing checked\n");
    return abi_finish("abi-spawn-vfork");
  }
  ABI_CHECK_INT_EQ(r, 0);            /* vfork: nothing registers handlers */
  ABI_CHECK_INT_EQ(mode_in_child(1), 1); /* fork: libuv.so imports it */
  return abi_finish("abi-spawn-vfork");
}
