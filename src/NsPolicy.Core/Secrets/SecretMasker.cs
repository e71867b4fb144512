using System.Text;

namespace NsPolicy.Core.Secrets;

/// <summary>
/// Hides secrets in text nspolicy writes anywhere (reports, logs, issue and comment bodies): the
/// GitHub token and the value of every environment variable whose name ends in TOKEN, SECRET,
/// PASSWORD or KEY, as written, in lower and upper case, and in base64. Values shorter than
/// <see cref="MinLength"/> characters are not treated as secrets (masking "1" would mangle every
/// report).
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    public const int MinLength = 6;

    private const string Cut = "…";

    private static readonly string[] SecretSuffixes = ["TOKEN", "SECRET", "PASSWORD", "KEY"];

    private readonly string[] forms;

    public SecretMasker(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            if (secret is null || secret.Trim().Length < MinLength)
            {
                continue;
            }

            all.Add(secret);
            all.Add(secret.ToLowerInvariant());
            all.Add(secret.ToUpperInvariant());
            all.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('='));
        }

        // Longest first, so a secret that contains another is masked whole.
        forms = [.. all.Where(f => f.Length >= MinLength).OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal)];
    }

    /// <summary>Masks nothing.</summary>
    public static SecretMasker None { get; } = new([]);

    public bool IsEmpty => forms.Length == 0;

    /// <summary>Whether an environment variable of this name holds a secret.</summary>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SecretSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The masker for an environment (name → value) and, when given, the --github-token value.</summary>
    public static SecretMasker For(IEnumerable<KeyValuePair<string, string?>> environment, string? gitHubToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new SecretMasker(environment.Where(v => IsSecretName(v.Key)).Select(v => v.Value).Append(gitHubToken));
    }

    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (forms.Length == 0 || text.Length < MinLength)
        {
            return text;
        }

        foreach (var form in forms)
        {
            if (text.Contains(form, StringComparison.Ordinal))
            {
                text = text.Replace(form, Mask, StringComparison.Ordinal);
            }
        }

        return text.Contains(Cut, StringComparison.Ordinal) ? MaskCutPrefixes(text) : text;
    }

    /// <summary>
    /// An excerpt cut inside a secret ends in "…" after the secret's first characters: those are
    /// masked too (at least <see cref="MinLength"/> of them, as the excerpt helper cuts).
    /// </summary>
    private string MaskCutPrefixes(string text)
    {
        foreach (var form in forms)
        {
            var head = form.AsSpan(0, MinLength);
            for (var at = text.AsSpan().IndexOf(head, StringComparison.Ordinal); at >= 0;)
            {
                var length = MinLength;
                while (at + length < text.Length && length < form.Length && text[at + length] == form[length])
                {
                    length++;
                }

                if (at + length < text.Length && text[at + length] == Cut[0])
                {
                    text = string.Concat(text.AsSpan(0, at), Mask, text.AsSpan(at + length));
                    length = Mask.Length;
                }

                var next = text.AsSpan(at + length).IndexOf(head, StringComparison.Ordinal);
                at = next < 0 ? -1 : at + length + next;
            }
        }

        return text;
    }
}
