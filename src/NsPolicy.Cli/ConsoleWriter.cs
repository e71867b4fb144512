using System.Text;
using NsPolicy.Core.Secrets;

namespace NsPolicy.Cli;

/// <summary>Standard output or error could not be written (a full disk, a closed pipe): exit 2, not a bug.</summary>
internal sealed class OutputFailedException(string stream, Exception inner)
    : Exception($"cannot write to {stream}: {inner.Message}", inner);

/// <summary>
/// Standard output or error as nspolicy writes them: secrets masked (a line at a time, so a secret
/// split across writes is still found), and a failed write turned into
/// <see cref="OutputFailedException"/>, which the app reports as exit 2.
/// </summary>
internal sealed class ConsoleWriter(TextWriter inner, SecretMasker masker, string name) : TextWriter
{
    private readonly StringBuilder pending = new();
    private readonly Lock gate = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        lock (gate)
        {
            pending.Append(value);
            if (value is '\n' or '\r')
            {
                Emit(flush: false);
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (gate)
        {
            pending.Append(value);
            if (value.AsSpan().IndexOfAny('\n', '\r') >= 0)
            {
                Emit(flush: false);
            }
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

    public override void WriteLine(string? value) => Write((value ?? string.Empty) + NewLine);

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        WriteLine(new string(buffer.Span));
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        WriteLine();
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        lock (gate)
        {
            Emit(flush: true);
        }
    }

    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    // Writes what is complete (up to the last line end), or everything when flushing.
    private void Emit(bool flush)
    {
        var text = pending.ToString();
        var end = flush ? text.Length : text.AsSpan().LastIndexOfAny('\n', '\r') + 1;
        if (end == 0)
        {
            return;
        }

        pending.Remove(0, end);
        try
        {
            inner.Write(masker.Apply(text[..end]));
            if (flush)
            {
                inner.Flush();
            }
        }
        catch (IOException e)
        {
            pending.Clear();
            throw new OutputFailedException(name, e);
        }
    }
}
