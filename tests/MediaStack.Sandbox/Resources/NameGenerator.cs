namespace MediaStack.Sandbox.Resources;

// Random suffixes as apimachinery makes them (no vowels, no look-alike characters).
public static class NameGenerator
{
    public const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Suffix(int length = 5)
    {
        Span<char> chars = stackalloc char[length];
        for (int i = 0; i < length; i++) chars[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        return new string(chars);
    }

    // The pod-template-hash style encoding of a number.
    public static string SafeEncode(string text) => new(text.Select(c => Alphabet[c % Alphabet.Length]).ToArray());
}
