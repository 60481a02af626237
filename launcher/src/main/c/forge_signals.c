/*
 * forge_signals: tells Forge's launcher where a signal came from.
 *
 * Java's signal API (sun.misc.Signal) hands a handler only the signal's number, but the
 * launcher must tell a Ctrl-C typed in its terminal (sent by the kernel to the whole foreground
 * process group, the job included: si_code SI_KERNEL) from a kill(1) aimed at the launcher
 * alone (si_code SI_USER), or the job receives a typed Ctrl-C twice. sudo makes the same
 * distinction for the same reason.
 *
 * forge_install(sig) puts a SA_SIGINFO handler in front of the JVM's own handler for sig: it
 * notes si_code and si_pid, then calls the JVM's handler exactly as the kernel would have. It
 * is installed after the JVM's (sun.misc.Signal.handle), which it keeps.
 *
 * Part of Forge, GPL-3.0-or-later.
 */
#include <jni.h>
#include <signal.h>
#include <string.h>

#define FORGE_MAX_SIGNAL 65

static struct sigaction previous[FORGE_MAX_SIGNAL];
static volatile sig_atomic_t installed[FORGE_MAX_SIGNAL];
static volatile sig_atomic_t last_code[FORGE_MAX_SIGNAL];
static volatile sig_atomic_t last_pid[FORGE_MAX_SIGNAL];
static volatile sig_atomic_t count[FORGE_MAX_SIGNAL];

static void forge_handler(int sig, siginfo_t *info, void *context) {
  if (sig > 0 && sig < FORGE_MAX_SIGNAL) {
    last_code[sig] = info != NULL ? info->si_code : 0;
    last_pid[sig] = info != NULL ? info->si_pid : 0;
    count[sig]++;
    struct sigaction *p = &previous[sig];
    if (p->sa_flags & SA_SIGINFO) {
      if (p->sa_sigaction != NULL) {
        p->sa_sigaction(sig, info, context);
      }
    } else if (p->sa_handler != SIG_IGN && p->sa_handler != SIG_DFL && p->sa_handler != NULL) {
      p->sa_handler(sig);
    }
  }
}

JNIEXPORT jboolean JNICALL Java_io_forge_launcher_run_SignalOrigin_install(
    JNIEnv *env, jclass cls, jint sig) {
  (void) env;
  (void) cls;
  if (sig <= 0 || sig >= FORGE_MAX_SIGNAL) {
    return JNI_FALSE;
  }
  if (installed[sig]) {
    return JNI_TRUE;
  }
  struct sigaction current;
  if (sigaction(sig, NULL, &current) != 0) {
    return JNI_FALSE;
  }
  if (!(current.sa_flags & SA_SIGINFO) && (current.sa_handler == SIG_DFL
      || current.sa_handler == SIG_IGN)) {
    return JNI_FALSE; /* nothing of the JVM's to keep: Java never asked for this signal */
  }
  struct sigaction mine;
  memset(&mine, 0, sizeof mine);
  mine.sa_sigaction = forge_handler;
  mine.sa_mask = current.sa_mask;
  mine.sa_flags = current.sa_flags | SA_SIGINFO;
  previous[sig] = current;
  if (sigaction(sig, &mine, NULL) != 0) {
    return JNI_FALSE;
  }
  installed[sig] = 1;
  return JNI_TRUE;
}

/* {count, si_code, si_pid} of the last delivery of sig (count 0: none seen). */
JNIEXPORT jintArray JNICALL Java_io_forge_launcher_run_SignalOrigin_last(
    JNIEnv *env, jclass cls, jint sig) {
  (void) cls;
  jint values[3] = {0, 0, 0};
  if (sig > 0 && sig < FORGE_MAX_SIGNAL) {
    values[0] = count[sig];
    values[1] = last_code[sig];
    values[2] = last_pid[sig];
  }
  jintArray out = (*env)->NewIntArray(env, 3);
  if (out != NULL) {
    (*env)->SetIntArrayRegion(env, out, 0, 3, values);
  }
  return out;
}
