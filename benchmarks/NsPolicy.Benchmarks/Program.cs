// Entry point: `qps`, `parse-zone` and `gen-zones` are load and measurement modes for the scripts;
// anything else goes to BenchmarkDotNet (`--filter '*'`, `--job short`, `--job dry` for a smoke run).
using BenchmarkDotNet.Running;
using NsPolicy.Benchmarks;

return args switch
{
    ["qps", .. var rest] => await QpsCommand.RunAsync(rest).ConfigureAwait(false),
    ["parse-zone", .. var rest] => ParseZoneCommand.Run(rest),
    ["gen-zones", .. var rest] => GenZonesCommand.Run(rest),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(WireBenchmarks).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
