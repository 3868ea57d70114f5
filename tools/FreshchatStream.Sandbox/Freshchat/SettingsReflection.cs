using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FreshchatStream.Sandbox.Freshchat;

/// <summary>
/// Reads and sets the simple (bool, int, double, string, enum) public properties of a knob object such as
/// <see cref="EmulatorBehaviour"/> by snake_case (or PascalCase) name, so a new switch is reachable from
/// <c>/_sandbox/behaviour</c> and from <c>--behaviour name=value</c> without any code beyond the property.
/// </summary>
public static class SettingsReflection
{
    /// <summary>The simple properties as snake_case keys.</summary>
    public static JsonObject Describe(object target)
    {
        var json = new JsonObject();
        foreach (var p in SimpleProperties(target))
        {
            var value = p.GetValue(target);
            json[SnakeCase(p.Name)] = value switch
            {
                null => null,
                Enum e => e.ToString(),
                bool b => b,
                int i => i,
                double d => d,
                string text => text,
                _ => value.ToString(),
            };
        }
        return json;
    }

    /// <summary>The snake_case names of the settable properties.</summary>
    public static IReadOnlyList<string> Names(object target) => [.. SimpleProperties(target).Select(p => SnakeCase(p.Name))];

    /// <summary>Sets properties from JSON; returns an error text for unknown keys or wrong types.</summary>
    public static string? Apply(object target, JsonObject body)
    {
        foreach (var (name, value) in body)
        {
            if (Find(target, name) is not { } p) return $"unknown setting {name}";
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            try
            {
                object? converted = value switch
                {
                    null => null,
                    JsonValue v when type.IsEnum => Enum.Parse(type, v.GetValue<string>(), ignoreCase: true),
                    JsonValue v when type == typeof(bool) => v.GetValue<bool>(),
                    JsonValue v when type == typeof(int) => v.GetValue<int>(),
                    JsonValue v when type == typeof(double) => v.GetValue<double>(),
                    JsonValue v when type == typeof(string) => v.GetValue<string>(),
                    _ => throw new FormatException(),
                };
                p.SetValue(target, converted);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
            {
                return $"{name} has the wrong type";
            }
        }
        return null;
    }

    /// <summary>Sets one property from its text form (<c>true</c>, <c>42</c>, an enum name); returns an error text or null.</summary>
    public static string? Set(object target, string name, string text)
    {
        if (Find(target, name) is not { } p) return $"unknown setting '{name}' (known: {string.Join(", ", Names(target))})";
        var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        object? converted = null;
        var ok = type switch
        {
            _ when type.IsEnum => Enum.TryParse(type, text, ignoreCase: true, out converted) && Enum.IsDefined(type, converted!),
            _ when type == typeof(bool) => TryConvert(bool.TryParse(text, out var b), b, out converted),
            _ when type == typeof(int) => TryConvert(int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i), i, out converted),
            _ when type == typeof(double) => TryConvert(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d), d, out converted),
            _ when type == typeof(string) => TryConvert(true, text, out converted),
            _ => false,
        };
        if (!ok)
        {
            var expected = type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}" : type == typeof(bool) ? "true or false" : "a number";
            return $"setting '{name}' needs {expected}, not '{text}'";
        }

        p.SetValue(target, converted);
        return null;
    }

    private static bool TryConvert<T>(bool parsed, T value, out object? converted)
    {
        converted = parsed ? value : null;
        return parsed;
    }

    private static PropertyInfo? Find(object target, string name)
    {
        var properties = SimpleProperties(target).ToDictionary(p => SnakeCase(p.Name), StringComparer.OrdinalIgnoreCase);
        return properties.TryGetValue(name, out var p) || properties.TryGetValue(SnakeCase(name), out p) ? p : null;
    }

    private static IEnumerable<PropertyInfo> SimpleProperties(object target) =>
        target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.CanRead &&
            (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) is var t && (t.IsEnum || t == typeof(bool) || t == typeof(int) || t == typeof(double) || t == typeof(string)));

    private static string SnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
