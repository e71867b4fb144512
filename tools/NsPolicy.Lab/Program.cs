namespace NsPolicy.Lab;

internal static class Program
{
    public static Task<int> Main(string[] args) => new LabRunCommand(Console.Error).RunAsync(args);
}
