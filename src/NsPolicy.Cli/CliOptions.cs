using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using NsPolicy.Core.Checking;
using NsPolicy.Core.Live;
using NsPolicy.Dns;

namespace NsPolicy.Cli;

/// <summary>
/// Typed options: each parses and checks its value while the command line is parsed, so a bad
/// value is a usage error (exit 2) said once, by <see cref="NsPolicyApp"/>, before any work starts.
/// Messages name the option and the value as the user wrote them.
/// </summary>
internal static class CliOptions
{
    /// <summary>What a short duration must look like.</summary>
    private const string ExpectedDuration = $"expected a duration of at most {LiveDuration.MaxTimeoutText} such as 500ms or 2s";

    /// <summary>A time to wait for an answer (500ms, 2s; at most <see cref="LiveDuration.MaxTimeout"/>).</summary>
    public static Option<Duration> Duration(string name, string description, string defaultText) => new(name)
    {
        Description = description,
        HelpName = "D",
        DefaultValueFactory = _ => ParseShort(defaultText) ?? throw new ArgumentException(defaultText, nameof(defaultText)),
        CustomParser = result => ParseOne(result, ParseShort, ExpectedDuration) ?? default,
    };

    /// <summary>A time to wait for an answer, with no default (null: not given).</summary>
    public static Option<Duration?> OptionalDuration(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "D",
        CustomParser = result => ParseOne(result, ParseShort, ExpectedDuration),
    };

    /// <summary>A long duration (7d, 48h, 3600s).</summary>
    public static Option<Duration> LongDuration(string name, string description, string defaultText) => new(name)
    {
        Description = description,
        HelpName = "D",
        DefaultValueFactory = _ => Parse(defaultText) ?? throw new ArgumentException(defaultText, nameof(defaultText)),
        CustomParser = result => ParseOne(result, Parse, "expected a duration such as 7d, 48h or 3600s") ?? default,
    };

    private static Duration? Parse(string text) => LiveDuration.TryParseLong(text, out var d) ? new Duration(d, text) : null;

    private static Duration? ParseShort(string text) => LiveDuration.TryParse(text, out var d) ? new Duration(d, text) : null;

    /// <summary>IP addresses, one per occurrence (repeatable).</summary>
    public static Option<IPAddress[]> Addresses(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ADDR",
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result => ParseEach<IPAddress>(result, text => IPAddress.TryParse(text, out var a) ? (a, null) : (null, "not an IP address")),
    };

    /// <summary>Domain names, one per occurrence (repeatable).</summary>
    public static Option<DnsName[]> Names(string name, string alias, string description) => new(name, alias)
    {
        Description = description,
        HelpName = "NAME",
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result => ParseEach<DnsName>(result, text => DnsName.TryParse(text, out var n, out var error) ? (n, null) : (null, error)),
    };

    /// <summary>One domain name (null: not given).</summary>
    public static Option<DnsName?> Name(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "NAME",
        CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (DnsName.TryParse(text, out var n, out var error))
            {
                return n;
            }

            result.AddError($"{Label(result)} {text}: {error}");
            return null;
        },
    };

    /// <summary>The policy file to read, nspolicy.yaml in the current folder unless given.</summary>
    public static Option<string> Policy(string description) => new("--policy", "-p")
    {
        Description = description,
        DefaultValueFactory = _ => "nspolicy.yaml",
        HelpName = "FILE",
    };

    /// <summary>One of <paramref name="formats"/>, the first unless given.</summary>
    public static Option<string> Format(string description, params string[] formats)
    {
        var format = new Option<string>("--format", "-f") { Description = description, DefaultValueFactory = _ => formats[0] };
        format.AcceptOnlyFromAmong(formats);
        return format;
    }

    /// <summary>
    /// --allow-include-outside: files the policy or a zone file names (zone files, $INCLUDE, root
    /// hints) may lie outside the repository. The same flag on every command that reads or writes
    /// such names, so a policy one accepts the others accept too.
    /// </summary>
    public static Option<bool> AllowIncludeOutside(string description) => new("--allow-include-outside") { Description = description };

    /// <summary><c>--shard K/N</c> (null: not given).</summary>
    public static Option<ZoneShard?> Shard(string description) => new("--shard")
    {
        Description = description,
        HelpName = "K/N",
        CustomParser = result =>
        {
            var text = result.Tokens[^1].Value;
            if (ZoneShard.TryParse(text, out var shard, out var error))
            {
                return shard;
            }

            result.AddError($"--shard {error}");
            return null;
        },
    };

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="outside"/> says what is wrong with another.</summary>
    public static Option<int> Count(string name, string? helpName, string description, int defaultValue, int min, int max, Func<int, string> outside)
    {
        var option = new Option<int>(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            var n = result.GetValueOrDefault<int>();
            if (n < min || n > max)
            {
                result.AddError(outside(n));
            }
        });
        return option;
    }

    /// <summary>A usage error when both options are given.</summary>
    public static void Exclusive(Command command, Option first, Option second, string message) =>
        command.Validators.Add(result =>
        {
            if (Given(result, first) && Given(result, second))
            {
                result.AddError(message);
            }
        });

    /// <summary>The option was on the command line (not just its default).</summary>
    public static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private static string Label(ArgumentResult result) =>
        result.Parent is OptionResult { IdentifierToken: { } token } ? token.Value : "value";

    private static T? ParseOne<T>(ArgumentResult result, Func<string, T?> parse, string expected)
        where T : struct
    {
        var text = result.Tokens[^1].Value;
        var value = parse(text);
        if (value is null)
        {
            result.AddError($"{Label(result)} {text}: {expected}");
        }

        return value;
    }

    private static T[] ParseEach<T>(ArgumentResult result, Func<string, (T? Value, string? Error)> parse)
        where T : class
    {
        var values = new List<T>();
        foreach (var token in result.Tokens)
        {
            var (value, error) = parse(token.Value);
            if (value is null)
            {
                result.AddError($"{Label(result)} {token.Value}: {error}");
                return [];
            }

            values.Add(value);
        }

        return [.. values];
    }
}

/// <summary>A duration as given on the command line: help shows its text (2s, 7d), the code uses its value.</summary>
internal readonly record struct Duration(TimeSpan Value, string Text)
{
    public override string ToString() => Text;
}
