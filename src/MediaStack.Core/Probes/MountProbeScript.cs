using System.Text;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Probes;

// The one exec per pod: a POSIX sh script (busybox ash and dash/bash alike) that checks every
// mount at once, each in a background job: presence and fstype from /proc/self/mountinfo
// (never touches FUSE), a bounded stat, then a bounded, capped count of the probe directory.
// Paths travel as positional arguments ("$1"...), never inside the script text, so no quote
// or $(...) in a path can run anything.
//
// Bounded means the script itself gives up: a process blocked in a FUSE call stays blocked
// even after SIGKILL until the daemon answers, and whoever waits for it (or for a pipe it
// holds) hangs too. So stat and ls run in the background with their output in files under a
// private temp directory; the script polls for a completion file, sends SIGKILL when time is
// up and moves on without waiting, and no stuck process holds the exec's stdout or stderr.
// Without a writable temp directory it falls back to `timeout -s KILL` in the foreground
// (bounded then only by the exec deadline). fd 3 is closed for the listing there because
// busybox's timeout leaves a watcher holding every fd above 2 for up to a second.
//
// Output, one tab-separated line per fact:  m <index> <key> <value>
// plus `probe 1 timeout <mode>` first and `end` last.
public static class MountProbeScript
{
    public const string ScriptName = "mediastack-probe";

    // LF line ends, whatever the checkout of this file did to them.
    public static readonly string Script = ShellText.Script("""
        st=$1 lt=$2 lim=$(($3 + 1)); shift 3
        tmp=
        for base in "${TMPDIR:-/tmp}" /dev/shm /tmp /var/tmp; do
          tmp=$(mktemp -d "$base/mediastack-probe.XXXXXX" 2>/dev/null) && break
          tmp=
        done
        # Remove the temp directory however the script ends, short of SIGKILL.
        [ -n "$tmp" ] && trap 'rm -rf "$tmp" 2>/dev/null' EXIT && trap 'exit 143' HUP INT TERM
        if sleep 0.05 2>/dev/null; then tick=0.05 per=20; else tick=1 per=1; fi
        if [ -n "$tmp" ]; then tm=background
        elif timeout -s KILL 5 true >/dev/null 2>&1; then tm=new
        elif timeout -t 5 -s KILL true >/dev/null 2>&1; then tm=old
        else tm=none; fi
        run() {
          s=$1; shift
          case $tm in
            new) timeout -s KILL "$s" "$@" ;;
            old) timeout -t "$s" -s KILL "$@" ;;
            *) "$@" ;;
          esac
        }
        # await FILE SECONDS PIDFILE: waits for FILE to be written, else kills the process
        # in PIDFILE and returns 137 without waiting for it.
        await() {
          n=$(($2 * per))
          while [ ! -s "$1" ]; do
            if [ "$n" -le 0 ]; then
              read -r k <"$3" 2>/dev/null && kill -9 "$k" 2>/dev/null
              return 137
            fi
            sleep $tick; n=$((n - 1))
          done
          return 0
        }
        nl='
        '
        probe() {
          i=$1 p=$2 e=$3 d=$4 fs=- src=- f=$tmp/$1
          while read -r _ _ _ _ mp rest; do
            if [ "$mp" = "$e" ]; then t=${rest#* - }; fs=${t%% *}; t=${t#* }; src=${t%% *}; fi
          done </proc/self/mountinfo
          printf 'm\t%s\tfstype\t%s\n' "$i" "$fs"
          printf 'm\t%s\tsource\t%s\n' "$i" "$src"
          read -r u _ </proc/uptime; t0=${u%.*}${u#*.}
          if [ -n "$tmp" ]; then
            ( stat -- "$p" >/dev/null 2>"$f.se" </dev/null & echo $! >"$f.sp"; wait $!; echo $? >"$f.sr" ) >/dev/null 2>&1 </dev/null &
            if await "$f.sr" "$st" "$f.sp"; then read -r rc <"$f.sr"; else rc=137; fi
            err=; [ -s "$f.se" ] && read -r err <"$f.se"
          else
            err=$(run "$st" stat -- "$p" 2>&1 >/dev/null); rc=$?
          fi
          printf 'm\t%s\tstat_rc\t%s\n' "$i" "$rc"
          printf 'm\t%s\tstat_err\t%s\n' "$i" "${err%%"$nl"*}"
          if [ "$rc" = 0 ]; then
            if [ -n "$tmp" ]; then
              ( { ls -A -- "$d" 2>"$f.le" </dev/null & echo $! >"$f.lp"; wait $!; echo $? >"$f.lr"; } | head -n "$lim" | wc -l >"$f.n"; echo done >"$f.ld" ) >/dev/null 2>&1 </dev/null &
              if await "$f.ld" "$lt" "$f.lp"; then
                read -r n <"$f.n"; { read -r lrc <"$f.lr"; } 2>/dev/null || lrc=141
                printf 'm\t%s\tlist_rc\t%s\n' "$i" "$lrc"
                printf 'm\t%s\tcount\t%s\n' "$i" "$n"
                if [ -s "$f.le" ]; then read -r le <"$f.le"; printf 'm\t%s\tlist_err\t%s\n' "$i" "$le"; fi
              else
                printf 'm\t%s\tlist_rc\t137\n' "$i"
              fi
            else
              out=$( { { run "$lt" ls -A -- "$d" 2>&3 3>&-; echo "rc=$?" >&3; } | head -n "$lim" | wc -l; } 3>&1 )
              printf '%s\n' "$out" | while IFS= read -r l; do
                case $l in
                  rc=*) printf 'm\t%s\tlist_rc\t%s\n' "$i" "${l#rc=}" ;;
                  *[!0-9\ ]*|'') [ -n "$l" ] && printf 'm\t%s\tlist_err\t%s\n' "$i" "$l" ;;
                  *) printf 'm\t%s\tcount\t%s\n' "$i" "${l## }" ;;
                esac
              done
            fi
          fi
          read -r u _ </proc/uptime; t1=${u%.*}${u#*.}
          printf 'm\t%s\tms\t%s\n' "$i" "$(( (t1 - t0) * 10 ))"
        }
        printf 'probe\t1\ttimeout\t%s\n' "$tm"
        n=0
        while [ $# -ge 3 ]; do
          probe "$n" "$1" "$2" "$3" &
          n=$((n + 1)); shift 3
        done
        wait
        # A step that was given up on may still write its result file while rm runs.
        [ -n "$tmp" ] && { rm -rf "$tmp" 2>/dev/null || rm -rf "$tmp" 2>/dev/null; }
        printf 'end\n'
        """);

    // The exec command: sh -c <script> <name> <stat s> <list s> <cap> then per mount
    // <path> <path as mountinfo writes it> <probe directory>.
    public static IReadOnlyList<string> Command(IReadOnlyList<MountProbeTarget> mounts, ProbeTimeouts timeouts, int maxEntries)
    {
        var command = new List<string>
        {
            "sh", "-c", Script, ScriptName,
            timeouts.StatSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            timeouts.ListSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            maxEntries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var mount in mounts)
        {
            var path = Normalize(mount.MountPath);
            command.Add(path);
            command.Add(MountInfoEscape(path));
            command.Add(Normalize(mount.ProbeFullPath));
        }
        return command;
    }

    // /proc/self/mountinfo writes space, tab, newline and backslash as octal escapes.
    public static string MountInfoEscape(string path)
    {
        var escaped = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            escaped.Append(c switch
            {
                ' ' => "\\040",
                '\t' => "\\011",
                '\n' => "\\012",
                '\\' => "\\134",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}

// Seconds for the stat and for the listing inside the script; the exec itself is cancelled
// at Total. Both steps together stay below the pod's budget.
public sealed record ProbeTimeouts(int StatSeconds, int ListSeconds, TimeSpan Total)
{
    public static ProbeTimeouts For(int timeoutSec)
    {
        var budget = Math.Max(2, timeoutSec);
        var stat = Math.Max(1, budget / 4);
        var list = Math.Max(1, budget - stat - 2);
        return new ProbeTimeouts(stat, list, TimeSpan.FromSeconds(budget) + TimeSpan.FromSeconds(1));
    }
}
