namespace NsPolicy.Tests.Shared;

/// <summary>Finds the repository root (the folder holding NsPolicy.sln) from the test binaries.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NsPolicy.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (NsPolicy.sln) above " + AppContext.BaseDirectory);
    }
}
