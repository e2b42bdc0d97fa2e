using System.Runtime.InteropServices;

namespace MediaStack.Sandbox.Node.Linux;

// The few libc calls .NET does not wrap: signals by pid and joining a network namespace.
internal static class Native
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int CLONE_NEWNET = 0x40000000;

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int sig);

    [DllImport("libc", SetLastError = true)]
    public static extern int setns(int fd, int nstype);
}
