using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace NsPolicy.Cli.Tests;

/// <summary>The release step the README describes: <c>dotnet pack src/NsPolicy.Cli</c> gives a tool package with its metadata.</summary>
public sealed class PackTests
{
    [Fact]
    public async Task Dotnet_pack_makes_the_NsPolicy_tool_package_with_licence_readme_and_repository()
    {
        using var output = new TempDirectory();
        // The build this test runs from (Release or Debug): pack it as it is, without building again.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["pack", "src/NsPolicy.Cli", "--no-build", "--no-restore", "-c", configuration, "-o", output.Path])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(start, TimeSpan.FromMinutes(5), "dotnet pack");
        Assert.True(exit == 0, stdout + stderr);

        var package = Assert.Single(Directory.GetFiles(output.Path, "*.nupkg"));
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        await using var stream = nuspec.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        XElement Element(string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

        Assert.Equal("NsPolicy", Value("id"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("expression", Element("license").Attribute("type")?.Value);
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("https://github.com/nspolicy/nspolicy", Element("repository").Attribute("url")?.Value);
        Assert.Equal("DotnetTool", metadata.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value);
        Assert.StartsWith("MIT License", await File.ReadAllTextAsync(Repository.PathOf("LICENSE")), StringComparison.Ordinal);
    }
}
