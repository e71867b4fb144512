using NsPolicy.Dns.Files;
using System.CommandLine;
using NsPolicy.Core.Checking;
using NsPolicy.Core.Reporting;
using NsPolicy.Core.Checks;
using NsPolicy.Dns.ZoneFiles;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Cli;

/// <summary>
/// <c>nspolicy check-zone FILE --origin NAME</c>: one zone file, no policy: syntax and the
/// structural checks, like named-checkzone but with nspolicy's findings and formats.
/// </summary>
internal sealed class CheckZoneCommand(TextWriter stdout, TextWriter stderr, TimeProvider time, CliEnvironment environment)
{
    private const string ExitCodeHelp =
        "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage error or unreadable file; 3 internal error.";

    public Command Build()
    {
        var file = new Argument<string>("FILE") { Description = "The zone's master file." };
        var origin = CliOptions.Name("--origin", "The zone's name (its apex); relative names in the file are completed with it. Default: the file's first $ORIGIN, or its SOA owner when written as an absolute name.");
        var allowIncludeOutside = CliOptions.AllowIncludeOutside("Let the zone file and its $INCLUDEs name files outside its repository (the git work tree that holds it, else its folder), symbolic links followed. Only regular files are read either way.");
        var failOn = FailOn.CreateOption();
        var reports = new ReportOutputs(stdout, stderr, environment);

        var command = new Command("check-zone", "Check one zone file without a policy: syntax (file:line:col), one SOA, apex NS, addresses of in-zone nameservers, glue of delegations, NS naming a CNAME or lacking its final dot, wildcard NS, CNAME beside other data, MX/SRV naming a CNAME or an address, out-of-zone and occluded data, SOA and DS placement, CDS/CDNSKEY against DNSKEY, NSEC3 iterations, RRset TTLs, SOA timers. Streams the file. " + ExitCodeHelp)
        {
            file,
            origin,
            allowIncludeOutside,
            failOn,
        };
        reports.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var targets = reports.Resolve(parse);
            var path = parse.GetValue(file)!;
            var full = environment.FullPath(path);
            if (Directory.Exists(full))
            {
                throw new UsageException($"{path}: cannot read the zone file: it is a directory");
            }

            var apex = parse.GetValue(origin);
            if (apex is null)
            {
                try
                {
                    apex = StatedOrigin.Find(full);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"{path}: cannot read the zone file: {e.Message}");
                }

                if (apex is null)
                {
                    throw new UsageException($"{path}: the file states no origin (no $ORIGIN, and no SOA owner written as an absolute name before the first records); give --origin NAME");
                }
            }

            ZoneModel zone;
            try
            {
                // The file and its $INCLUDEs stay inside the repository that holds it (its git work tree, else its folder).
                var options = new ZoneFileOptions
                {
                    RootDirectory = FileAccessPolicy.RepositoryRoot(Path.GetDirectoryName(full) ?? "."),
                    AllowIncludeOutsideRoot = parse.GetValue(allowIncludeOutside),
                };
                zone = await Task.Run(() => ZoneModel.Load(full, path, apex, options), ct).ConfigureAwait(false);
            }
            catch (FileRefusedException e)
            {
                throw new UsageException($"{path}: cannot read the zone file: it {e.Reason}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"{path}: cannot read the zone file: {e.Message}");
            }

            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var findings = FindingRater.Rate(ZoneFileStage.Judge(zone, path), null, today);
            if (!await reports.WriteAsync(targets, new ReportInput(NsPolicyApp.Version, path, null, findings), ct).ConfigureAwait(false))
            {
                return ExitCodes.Usage;
            }

            return FailOn.ExitCode(findings, parse.GetValue(failOn));
        });
        return command;
    }
}
