using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MutualAid.Schemes;

/// <summary>
/// A hash of everything in a scheme file that decides what a plan version pays or costs: the
/// plan's own terms and the version. Its name, the rules checked only when enrolling and the
/// documents asked of a manual claim may change under enrolled members. Key order, spacing, nulls and how a number is written
/// (0.3 or 0.30) do not change it.
/// </summary>
public static class SchemeFingerprint
{
    private static readonly string[] NotTerms = ["name", "versions", "enrollAge", "maxUnits", "participation", "requires", "documents"];

    /// <summary>Fingerprints by plan code and effective date (yyyy-MM-dd), for a file that <see cref="Benefits.SchemeReader"/> accepted.</summary>
    public static Dictionary<(string Plan, string EffectiveFrom), string> Versions(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = new Dictionary<(string, string), string>();
        foreach (var plan in document.RootElement.GetProperty("plans").EnumerateArray())
        {
            var planTerms = Canonical(plan, skip: NotTerms);
            foreach (var version in plan.GetProperty("versions").EnumerateArray())
            {
                var key = (plan.GetProperty("code").GetString()!, version.GetProperty("effectiveFrom").GetString()!);
                result[key] = Hash(planTerms + "\n" + Canonical(version, skip: []));
            }
        }
        return result;
    }

    /// <summary>The whole document in canonical form: equal when two files say the same.</summary>
    public static string Document(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Canonical(document.RootElement, skip: []);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Canonical(JsonElement element, string[] skip)
    {
        var text = new StringBuilder();
        Write(element, skip, text);
        return text.ToString();
    }

    private static void Write(JsonElement element, string[] skip, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject()
                    .Where(p => p.Value.ValueKind != JsonValueKind.Null && !skip.Contains(p.Name))
                    .OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    text.Append(first ? "" : ",").Append(JsonSerializer.Serialize(property.Name)).Append(':');
                    Write(property.Value, [], text);
                    first = false;
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    text.Append(index++ > 0 ? "," : "");
                    Write(item, [], text);
                }
                text.Append(']');
                break;
            case JsonValueKind.Number when element.TryGetDecimal(out var number):
                text.Append((number / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture));
                break;
            default:
                text.Append(element.GetRawText());
                break;
        }
    }
}
