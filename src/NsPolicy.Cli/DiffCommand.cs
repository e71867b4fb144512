using System.CommandLine;
using NsPolicy.Core.Changes;
using NsPolicy.Core.Validation;

namespace NsPolicy.Cli;

/// <summary>
/// <c>nspolicy diff --base REF</c>: per zone, how the delegation data (NS, NS TTL, glue, DS,
/// DNSKEY) changed between a git revision and the work tree, as text or Markdown.
/// </summary>
internal sealed class DiffCommand(TextWriter stdout, TimeProvider time, CliEnvironment environment)
{
    public Command Build()
    {
        var baseRevision = new Option<string>("--base")
        {
            Description = "The git revision to compare with (a branch, tag or commit), e.g. origin/main.",
            HelpName = "REF",
            Required = true,
        };
        var policy = CliOptions.Policy("The policy file; its folder in the revision is compared with the work tree.");
        var format = CliOptions.Format("Output format: text, or markdown for a pull-request comment.", "text", "markdown");
        var allowIncludeOutside = CliOptions.AllowIncludeOutside("Let $INCLUDE in zone files, at both revisions, name files outside the repository (the git work tree that holds the policy), symbolic links followed.");

        var command = new Command("diff", "Show how each zone's delegation data changed since a git revision: NS added or removed, NS TTL, glue, DS and DNSKEY, from the policy and the zone files; and a zone file whose records changed without an SOA serial increase (RFC 1982), or whose serial went backwards. Reads git, changes nothing. Exit codes: 0 printed (changes or not); 2 usage error, not a git work tree, unknown revision or unreadable policy; 3 internal error.")
        {
            baseRevision,
            policy,
            format,
            allowIncludeOutside,
        };
        command.SetAction(async (parse, ct) =>
        {
            var revision = parse.GetValue(baseRevision)!;
            var path = parse.GetValue(policy)!;
            var allow = parse.GetValue(allowIncludeOutside);
            if (!File.Exists(environment.FullPath(path)))
            {
                throw new UsageException($"diff: {path}: cannot read the policy file: it does not exist");
            }

            try
            {
                using var checkout = await BaseCheckout.ExtractAsync(environment.FullPath(path), revision, ct).ConfigureAwait(false);
                var diffs = await RevisionDiff.CompareAsync(checkout, environment.FullPath(path), path, revision, allow, time, ct).ConfigureAwait(false);
                var output = parse.GetValue(format) == "markdown" ? DiffRenderer.Markdown(diffs, revision) : DiffRenderer.Text(diffs, revision);
                await stdout.WriteAsync(output.AsMemory(), ct).ConfigureAwait(false);
                await stdout.FlushAsync(ct).ConfigureAwait(false);
                return ExitCodes.Clean;
            }
            catch (Exception e) when (e is GitException or PolicyUnreadableException)
            {
                throw new UsageException($"diff: {e.Message}");
            }
        });
        return command;
    }
}
