using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace NsPolicy.Cli;

/// <summary>Log lines as <c>nspolicy: level: message</c>, no colour, no timestamps.</summary>
internal sealed class PlainLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "nspolicy";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warning",
            LogLevel.Error => "error",
            _ => "critical",
        };
        textWriter.Write($"nspolicy: {level}: {message}\n");
    }
}
