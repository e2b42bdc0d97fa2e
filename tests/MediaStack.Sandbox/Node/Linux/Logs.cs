using System.Text;

namespace MediaStack.Sandbox.Node.Linux;

// stdout and stderr of one container instance, interleaved as written, capped so a chatty
// container cannot eat the machine's memory (the oldest half is dropped, like log rotation).
public sealed class LogBuffer
{
    const int Cap = 1 << 20;
    readonly MemoryStream _bytes = new();

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_bytes)
        {
            if (_bytes.Length + data.Length > Cap)
            {
                var keep = _bytes.ToArray()[(int)(_bytes.Length / 2)..];
                _bytes.SetLength(0);
                _bytes.Write(keep);
            }
            _bytes.Write(data);
        }
    }

    public string Text
    {
        get { lock (_bytes) return Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length); }
    }
}
