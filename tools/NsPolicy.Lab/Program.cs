using NsPolicy.Lab.Delay;

namespace NsPolicy.Lab;

internal static class Program
{
    public static async Task<int> Main(string[] args) => args is ["delay", ..]
        ? new DelayCommand(Console.Out, Console.Error).Run(args)
        : await new LabRunCommand(Console.Error).RunAsync(args).ConfigureAwait(false);
}
