using System.CommandLine;
using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Inventory;
using NsPolicy.Core.Reporting;
using NsPolicy.Core.Validation;

namespace NsPolicy.Cli;

/// <summary>
/// <c>nspolicy inventory</c>: which zones depend on which nameserver hosts and providers, and which
/// hosts many zones share (blast radius), from the policy alone. No network.
/// </summary>
internal sealed class InventoryCommand(TextWriter stdout, TextWriter stderr, TimeProvider time, CliEnvironment environment)
{
    private const string Help =
        "List which zones depend on which nameserver hosts and providers, and which hosts and providers many zones share " +
        "(the blast radius of one failing or taken over), from the policy alone; no network. " +
        "Providers: " + NameserverInventory.ProviderRule + " " +
        "Formats: text; json; mermaid (a 'graph LR' of zone -> nameserver host, hosts grouped by provider, for a ```mermaid block on GitHub). " +
        "Exit codes: 0 listed (a policy with errors is listed as far as it could be read, with a warning on stderr); " +
        "2 usage error, or a policy that cannot be read or loaded.";

    public Command Build()
    {
        var policy = CliOptions.Policy("The policy file to read.");
        var format = CliOptions.Format("Output format.", "text", "json", "mermaid");

        var command = new Command("inventory", Help) { policy, format };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(policy)!;
            ValidationReport report;
            try
            {
                report = await new PolicyValidator(time).ValidateFileAsync(environment.FullPath(path), path, ct).ConfigureAwait(false);
            }
            catch (PolicyUnreadableException e)
            {
                throw new UsageException(e.Message);
            }

            var errors = report.Findings.Where(f => f.Counts && f.Severity == Severity.Error).ToList();
            if (report.Policy is not { } document)
            {
                TextReporter.Write(stderr, errors, color: false);
                await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"nspolicy: {path} cannot be loaded, so there is no inventory")).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (errors.Count > 0)
            {
                await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"nspolicy: warning: {path} has {errors.Count} error(s) ('nspolicy validate' lists them); the inventory shows what could be read")).ConfigureAwait(false);
            }

            var inventory = NameserverInventory.Build(document);
            switch (parse.GetValue(format))
            {
                case "json":
                    using (var buffer = new MemoryStream())
                    {
                        InventoryJsonWriter.Write(buffer, inventory);
                        await stdout.WriteAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()).AsMemory(), ct).ConfigureAwait(false);
                    }

                    break;
                case "mermaid":
                    InventoryMermaidWriter.Write(stdout, inventory);
                    break;
                default:
                    InventoryTextWriter.Write(stdout, inventory);
                    break;
            }

            await stdout.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Clean;
        });
        return command;
    }
}
