using System.Text;
using MediaStack.Core.Sidecars;

namespace MediaStack.Core.Probes;

// The one exec per pod: a POSIX sh script (busybox ash and dash/bash alike) that checks every
// mount at once, each in a background job: presence and fstype from /proc/self/mountinfo
// (never touches FUSE), a bounded stat, then a bounded, capped count of the probe directory,
// and with a deep read (-Deep) the first bytes of one file under it: rclone answers listings
// from its directory cache (5 minutes by default), so only a read proves the backend answers.
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
// The deep read follows the first entry of the probe directory down to a file (at most 3
// levels) and reads `head -c <bytes>` of it, bounded like the other steps.
//
// $z is /dev/null: the script travels in the exec URL, where every byte counts.
//
// Output, one tab-separated line per fact:  m <index> <key> <value>
// plus `probe 1 timeout <mode>` first and `end` last.
public static class MountProbeScript
{
    public const string ScriptName = "mediastack-probe";

    // LF line ends, whatever the checkout of this file did to them.
    public static readonly string Script = ShellText.Script("""
        st=$1 lt=$2 lim=$(($3 + 1)) rt=$4 rb=$5 z=/dev/null; shift 5
        tmp=
        for base in "${TMPDIR:-/tmp}" /dev/shm /tmp /var/tmp; do
          tmp=$(mktemp -d "$base/mediastack-probe.XXXXXX" 2>$z) && break
          tmp=
        done
        # Remove the temp directory however the script ends, short of SIGKILL.
        [ -n "$tmp" ] && trap 'rm -rf "$tmp" 2>$z' EXIT && trap 'exit 143' HUP INT TERM
        if sleep 0.05 2>$z; then tick=0.05 per=20; else tick=1 per=1; fi
        if [ -n "$tmp" ]; then tm=background
        elif timeout -s KILL 5 true >$z 2>&1; then tm=new
        elif timeout -t 5 -s KILL true >$z 2>&1; then tm=old
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
              read -r k <"$3" 2>$z && kill -9 "$k" 2>$z
              return 137
            fi
            sleep $tick; n=$((n - 1))
          done
          return 0
        }
        # o KEY VALUE: one fact about mount $i. up: $now in hundredths of a second.
        o() { printf 'm\t%s\t%s\t%s\n' "$i" "$1" "$2"; }
        up() { read -r u _ </proc/uptime; now=${u%.*}${u#*.}; }
        nl='
        '
        probe() {
          i=$1 p=$2 e=$3 d=$4 fs=- src=- f=$tmp/$1 listed=
          while read -r _ _ _ _ mp rest; do
            if [ "$mp" = "$e" ]; then t=${rest#* - }; fs=${t%% *}; t=${t#* }; src=${t%% *}; fi
          done </proc/self/mountinfo
          o fstype "$fs"; o source "$src"
          up; t0=$now
          if [ -n "$tmp" ]; then
            ( stat -- "$p" >$z 2>"$f.se" <$z & echo $! >"$f.sp"; wait $!; echo $? >"$f.sr" ) >$z 2>&1 <$z &
            if await "$f.sr" "$st" "$f.sp"; then read -r rc <"$f.sr"; else rc=137; fi
            err=; [ -s "$f.se" ] && read -r err <"$f.se"
          else
            err=$(run "$st" stat -- "$p" 2>&1 >$z); rc=$?
          fi
          o stat_rc "$rc"; o stat_err "${err%%"$nl"*}"
          if [ "$rc" = 0 ]; then
            if [ -n "$tmp" ]; then
              # The first name is kept for the deep read, which then need not list $d again.
              ( { ls -A -- "$d" 2>"$f.le" <$z & echo $! >"$f.lp"; wait $!; echo $? >"$f.lr"; } | head -n "$lim" |
                { if IFS= read -r y; then printf '%s\n' "$y" >"$f.l1"; echo $(($(wc -l) + 1)); else echo 0; fi; } >"$f.n"; echo done >"$f.ld" ) >$z 2>&1 <$z &
              if await "$f.ld" "$lt" "$f.lp"; then
                read -r n <"$f.n"; { read -r lrc <"$f.lr"; } 2>$z || lrc=141
                o list_rc "$lrc"; o count "$n"
                if [ -s "$f.le" ]; then read -r le <"$f.le"; o list_err "$le"; fi
                [ "$lrc" = 0 ] && listed=1
              else
                o list_rc 137
              fi
            else
              out=$( { { run "$lt" ls -A -- "$d" 2>&3 3>&-; echo "rc=$?" >&3; } | head -n "$lim" | wc -l; } 3>&1 )
              case "$nl$out$nl" in *"${nl}rc=0$nl"*) listed=1 ;; esac
              printf '%s\n' "$out" | while IFS= read -r l; do
                case $l in
                  rc=*) o list_rc "${l#rc=}" ;;
                  *[!0-9\ ]*|'') [ -n "$l" ] && o list_err "$l" ;;
                  *) o count "${l## }" ;;
                esac
              done
            fi
          fi
          up; o ms $(( (now - t0) * 10 ))
          [ "$rt" -gt 0 ] && [ "$listed" = 1 ] && deep
        }
        # The deep read: the first bytes of the first file below $d, found by following the
        # first entry down at most 3 levels (find would stat all 25,000 entries of __all__).
        # read_rc is none when there is no file, 137 when the read was given up.
        pick() {
          x=$d k=0 y=
          [ -s "$f.l1" ] && IFS= read -r y <"$f.l1"
          while [ -d "$x" ] && [ $k -lt 3 ]; do
            [ -n "$y" ] || y=$(run "$rt" ls -A "$x" 2>$z | head -n 1)
            [ -n "$y" ] && x=$x/$y || x=; y= k=$((k + 1))
          done
          [ -f "$x" ] || x=
        }
        deep() {
          up; t0=$now; rrc=137 rn= err= x=
          if [ -n "$tmp" ]; then
            ( { pick; echo "$x" >"$f.rf"; [ -n "$x" ] || exit 0
                head -c "$rb" "$x" 2>"$f.re" <$z & echo $! >"$f.rp"; wait $!; echo $? >"$f.rr"; } | wc -c >"$f.rn"; echo done >"$f.rd" ) >$z 2>&1 <$z &
            if await "$f.rd" "$rt" "$f.rp"; then rrc=none; read -r rrc <"$f.rr"; read -r rn <"$f.rn"; fi
            read -r x <"$f.rf"; read -r err <"$f.re"
          else
            pick; rrc=none
            [ -n "$x" ] && { err=$(run "$rt" head -c "$rb" "$x" 2>&1 >$z); rrc=$?; }
          fi 2>$z
          o read_rc "$rrc"; o read_file "$x"; o read_bytes "$rn"; o read_err "${err%%"$nl"*}"
          up; o read_ms $(( (now - t0) * 10 ))
        }
        printf 'probe\t1\ttimeout\t%s\n' "$tm"
        n=0
        while [ $# -ge 3 ]; do
          probe "$n" "$1" "$2" "$3" &
          n=$((n + 1)); shift 3
        done
        wait
        # A step that was given up on may still write its result file while rm runs.
        [ -n "$tmp" ] && { rm -rf "$tmp" 2>$z || rm -rf "$tmp" 2>$z; }
        printf 'end\n'
        """);

    // What is sent: the script without its comments and indentation, so that the exec URL,
    // which carries it as a query parameter, stays well below the 8 KB request-line limit
    // of common proxies (and of Kestrel).
    public static readonly string CompactScript = string.Join('\n', Script.Split('\n')
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith('#')));

    // Bytes the deep read takes from the start of one file: enough to make rclone open the
    // object at the backend, little enough to cost nothing.
    public const int DeepReadBytes = 4096;

    // The exec command: sh -c <script> <name> <stat s> <list s> <cap> <read s, 0 = no deep
    // read> <read bytes> then per mount <path> <path as mountinfo writes it> <probe directory>.
    public static IReadOnlyList<string> Command(IReadOnlyList<MountProbeTarget> mounts, ProbeTimeouts timeouts, int maxEntries)
    {
        var command = new List<string>
        {
            "sh", "-c", CompactScript, ScriptName,
            timeouts.StatSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            timeouts.ListSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            maxEntries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            timeouts.ReadSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DeepReadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
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

// Seconds for the stat, the listing and the deep read (0: none) inside the script; the exec
// itself is cancelled at Total. The steps together stay below the pod's budget.
public sealed record ProbeTimeouts(int StatSeconds, int ListSeconds, TimeSpan Total, int ReadSeconds = 0)
{
    public bool Deep => ReadSeconds > 0;

    public static ProbeTimeouts For(int timeoutSec, bool deep = false)
    {
        var budget = Math.Max(2, timeoutSec);
        var total = TimeSpan.FromSeconds(budget) + TimeSpan.FromSeconds(1);
        if (!deep)
        {
            var stat = Math.Max(1, budget / 4);
            return new ProbeTimeouts(stat, Math.Max(1, budget - stat - 2), total);
        }
        var deepStat = Math.Max(1, budget / 5);
        var read = Math.Max(1, budget / 4);
        return new ProbeTimeouts(deepStat, Math.Max(1, budget - deepStat - read - 2), total, read);
    }
}
