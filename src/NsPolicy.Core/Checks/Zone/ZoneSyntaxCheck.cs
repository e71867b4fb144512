using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>Errors the zone-file parser met, each at its file:line:col with the offending token.</summary>
public sealed class ZoneSyntaxCheck : IZoneCheck
{
    public static readonly Rule Syntax = new(
        "ZONE_SYNTAX",
        Severity.Error,
        "The zone file does not parse",
        "A line of the zone file (or a file it includes) is not a valid RFC 1035 master-file entry: a bad name, TTL, class, type or RDATA, an unknown directive, or an $INCLUDE that is missing, loops or leaves the repository. Name servers refuse to load such a zone, or load it without the line. Fix the line; `named-checkzone -i local ZONE FILE` shows the same errors.");

    public IReadOnlyList<Rule> Rules { get; } = [Syntax];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var error in context.Zone.Errors)
        {
            var message = error.Token.Length == 0 ? error.Message : $"'{Dns.Excerpt.Of(error.Token)}': {error.Message}";
            yield return new Finding(Syntax.Code, new SourceLocation(error.File, error.Line, error.Column), message, context.ZoneName)
            {
                Subject = $"{error.File} {error.Token} {error.Message}",
            };
        }
    }
}
