namespace NsPolicy.Core.GitHub;

/// <summary>A repository named as <c>owner/name</c>, the form of <c>GITHUB_REPOSITORY</c>.</summary>
public readonly record struct GitHubRepository(string Owner, string Name)
{
    public static bool TryParse(string? text, out GitHubRepository repository)
    {
        repository = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split('/');
        if (parts.Length != 2 || !IsPart(parts[0]) || !IsPart(parts[1]))
        {
            return false;
        }

        repository = new GitHubRepository(parts[0], parts[1]);
        return true;
    }

    public override string ToString() => $"{Owner}/{Name}";

    // GitHub owner and repository names use letters, digits, '-', '_' and '.'; anything else would
    // change the meaning of the request path.
    private static bool IsPart(string part) =>
        part.Length is > 0 and <= 100 && part != "." && part != ".." &&
        part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
