using System.Globalization;
using System.Text;

namespace FreshchatStream.Tests.Unit.Deployment.Helm;

/// <summary>
/// The subset of Go's text/template (with Helm's functions) that deploy/helm/freshchat-stream uses: output of
/// fields and literals, pipelines, <c>if/else</c>, <c>with</c>, <c>range</c> (with optional <c>$k, $v :=</c>),
/// <c>define</c>/<c>include</c>, <c>{{-</c>/<c>-}}</c> trimming and comments; functions <c>include toYaml
/// nindent indent quote default required not and or eq ne printf trunc trimSuffix toString</c>. Anything else is
/// rejected with an error naming it, so the chart cannot drift outside what CI renders. Helm itself is not
/// available here (not in Debian, no Go toolchain), which is why this exists.
/// </summary>
internal sealed class GoTemplate
{
    private abstract record Node;

    private sealed record TextNode(string Text) : Node;

    private sealed record OutputNode(Pipeline Pipeline) : Node;

    private sealed record IfNode(Pipeline Condition, List<Node> Then, List<Node> Else) : Node;

    private sealed record WithNode(Pipeline Value, List<Node> Then, List<Node> Else) : Node;

    private sealed record RangeNode(string? KeyVariable, string? ValueVariable, Pipeline Value, List<Node> Body) : Node;

    private sealed record Pipeline(List<List<Operand>> Commands);

    private abstract record Operand;

    private sealed record FieldOperand(string Root, string[] Path) : Operand;

    private sealed record LiteralOperand(object? Value) : Operand;

    private sealed record FunctionOperand(string Name) : Operand;

    private sealed record SubPipelineOperand(Pipeline Pipeline) : Operand;

    private readonly Dictionary<string, List<Node>> _defines = new(StringComparer.Ordinal);

    /// <summary>Registers the <c>define</c> blocks of a file (such as <c>_helpers.tpl</c>).</summary>
    public void AddDefinitions(string source) => Parse(source);

    public string Render(string source, object root)
    {
        var nodes = Parse(source);
        var output = new StringBuilder();
        Execute(nodes, root, root, new Dictionary<string, object?>(StringComparer.Ordinal), output);
        return output.ToString();
    }

    private List<Node> Parse(string source)
    {
        var tokens = Lex(source);
        var position = 0;
        var nodes = ParseList(tokens, ref position, out var terminator);
        if (terminator is not null)
        {
            throw new FormatException($"unexpected {{{{ {terminator} }}}}");
        }

        return nodes;
    }

    // A token is either text or an action's inner text (trimmed, without delimiters and trim markers).
    private static List<(bool IsAction, string Value)> Lex(string source)
    {
        var tokens = new List<(bool, string)>();
        var index = 0;
        var trimNextText = false;
        while (index < source.Length)
        {
            var open = source.IndexOf("{{", index, StringComparison.Ordinal);
            var text = open < 0 ? source[index..] : source[index..open];
            if (trimNextText)
            {
                text = text.TrimStart();
            }

            if (open < 0)
            {
                tokens.Add((false, text));
                break;
            }

            var close = source.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException("unclosed action");
            }

            var inner = source[(open + 2)..close];
            if (inner.StartsWith("- ", StringComparison.Ordinal) || inner == "-")
            {
                text = text.TrimEnd();
                inner = inner[1..];
            }

            trimNextText = inner.EndsWith(" -", StringComparison.Ordinal);
            if (trimNextText)
            {
                inner = inner[..^1];
            }

            tokens.Add((false, text));
            inner = inner.Trim();
            if (!inner.StartsWith("/*", StringComparison.Ordinal))
            {
                tokens.Add((true, inner));
            }

            index = close + 2;
        }

        return tokens;
    }

    private List<Node> ParseList(List<(bool IsAction, string Value)> tokens, ref int position, out string? terminator)
    {
        var nodes = new List<Node>();
        while (position < tokens.Count)
        {
            var (isAction, value) = tokens[position++];
            if (!isAction)
            {
                if (value.Length > 0)
                {
                    nodes.Add(new TextNode(value));
                }

                continue;
            }

            var keyword = value.Split(' ', 2)[0];
            var rest = value.Length > keyword.Length ? value[keyword.Length..].Trim() : "";
            switch (keyword)
            {
                case "end":
                case "else":
                    terminator = value;
                    return nodes;
                case "if":
                case "with":
                {
                    var then = ParseList(tokens, ref position, out var end);
                    var otherwise = new List<Node>();
                    if (end is not null && end.StartsWith("else if ", StringComparison.Ordinal))
                    {
                        throw new FormatException("else if is outside the template subset CI renders; nest an if");
                    }

                    if (end == "else")
                    {
                        otherwise = ParseList(tokens, ref position, out end);
                    }

                    if (end != "end")
                    {
                        throw new FormatException($"{keyword} {rest} is not closed by end");
                    }

                    nodes.Add(keyword == "if" ? new IfNode(ParsePipeline(rest), then, otherwise) : new WithNode(ParsePipeline(rest), then, otherwise));
                    break;
                }

                case "range":
                {
                    string? keyVariable = null, valueVariable = null;
                    var declaration = rest.IndexOf(":=", StringComparison.Ordinal);
                    if (declaration >= 0)
                    {
                        var variables = rest[..declaration].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                        (keyVariable, valueVariable) = variables.Length == 2 ? (variables[0], variables[1]) : (null, variables[0]);
                        rest = rest[(declaration + 2)..].Trim();
                    }

                    var body = ParseList(tokens, ref position, out var end);
                    if (end != "end")
                    {
                        throw new FormatException("range without end");
                    }

                    nodes.Add(new RangeNode(keyVariable, valueVariable, ParsePipeline(rest), body));
                    break;
                }

                case "define":
                {
                    var name = (string)((LiteralOperand)ParseOperands(rest)[0]).Value!;
                    var body = ParseList(tokens, ref position, out var end);
                    if (end != "end")
                    {
                        throw new FormatException($"define {name} without end");
                    }

                    _defines[name] = body;
                    break;
                }

                default:
                    nodes.Add(new OutputNode(ParsePipeline(value)));
                    break;
            }
        }

        terminator = null;
        return nodes;
    }

    private static Pipeline ParsePipeline(string text)
    {
        var commands = new List<List<Operand>>();
        foreach (var command in SplitTopLevel(text, '|'))
        {
            commands.Add(ParseOperands(command));
        }

        return new Pipeline(commands);
    }

    private static IEnumerable<string> SplitTopLevel(string text, char separator)
    {
        var depth = 0;
        var inString = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                inString = !inString;
            }
            else if (!inString && c == '(')
            {
                depth++;
            }
            else if (!inString && c == ')')
            {
                depth--;
            }
            else if (!inString && depth == 0 && c == separator)
            {
                yield return text[start..i].Trim();
                start = i + 1;
            }
        }

        yield return text[start..].Trim();
    }

    private static List<Operand> ParseOperands(string text)
    {
        var operands = new List<Operand>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '"')
            {
                var end = i + 1;
                var value = new StringBuilder();
                while (text[end] != '"')
                {
                    value.Append(text[end] == '\\' ? text[++end] switch { 'n' => '\n', 't' => '\t', var e => e } : text[end]);
                    end++;
                }

                operands.Add(new LiteralOperand(value.ToString()));
                i = end + 1;
            }
            else if (c == '(')
            {
                var depth = 0;
                var end = i;
                do
                {
                    depth += text[end] == '(' ? 1 : text[end] == ')' ? -1 : 0;
                    end++;
                }
                while (depth > 0);
                operands.Add(new SubPipelineOperand(ParsePipeline(text[(i + 1)..(end - 1)])));
                i = end;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '(' && text[end] != ')')
                {
                    end++;
                }

                operands.Add(ParseWord(text[i..end]));
                i = end;
            }
        }

        return operands;
    }

    private static Operand ParseWord(string word)
    {
        if (word == ".")
        {
            return new FieldOperand(".", []);
        }

        if (word.StartsWith('.'))
        {
            return new FieldOperand(".", word[1..].Split('.'));
        }

        if (word.StartsWith('$'))
        {
            var parts = word.Split('.');
            return new FieldOperand(parts[0], parts[1..]);
        }

        if (long.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return new LiteralOperand(number);
        }

        return word switch
        {
            "true" => new LiteralOperand(true),
            "false" => new LiteralOperand(false),
            "nil" => new LiteralOperand(null),
            _ when Functions.Contains(word) => new FunctionOperand(word),
            _ => throw new FormatException($"'{word}' is outside the template subset CI renders"),
        };
    }

    private static readonly HashSet<string> Functions = new(StringComparer.Ordinal)
    {
        "include", "toYaml", "nindent", "indent", "quote", "default", "required", "not", "and", "or", "eq", "ne", "printf", "trunc", "trimSuffix", "toString",
    };

    private void Execute(List<Node> nodes, object? dot, object root, Dictionary<string, object?> variables, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case OutputNode action:
                    output.Append(Print(Evaluate(action.Pipeline, dot, root, variables)));
                    break;
                case IfNode conditional:
                    Execute(IsTrue(Evaluate(conditional.Condition, dot, root, variables)) ? conditional.Then : conditional.Else, dot, root, variables, output);
                    break;
                case WithNode with:
                {
                    var value = Evaluate(with.Value, dot, root, variables);
                    if (IsTrue(value))
                    {
                        Execute(with.Then, value, root, variables, output);
                    }
                    else
                    {
                        Execute(with.Else, dot, root, variables, output);
                    }

                    break;
                }

                case RangeNode range:
                {
                    var value = Evaluate(range.Value, dot, root, variables);
                    IEnumerable<(object? Key, object? Item)> items = value switch
                    {
                        null => [],
                        IDictionary<string, object?> map => map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => ((object?)p.Key, p.Value)),
                        IList<object?> list => list.Select((item, index) => ((object?)(long)index, item)),
                        _ => throw new FormatException("range over a scalar"),
                    };
                    foreach (var (key, item) in items)
                    {
                        var scope = new Dictionary<string, object?>(variables, StringComparer.Ordinal);
                        if (range.KeyVariable is not null)
                        {
                            scope[range.KeyVariable] = key;
                        }

                        if (range.ValueVariable is not null)
                        {
                            scope[range.ValueVariable] = item;
                        }

                        Execute(range.Body, item, root, scope, output);
                    }

                    break;
                }

                default:
                    throw new InvalidOperationException(node.GetType().Name);
            }
        }
    }

    private object? Evaluate(Pipeline pipeline, object? dot, object root, Dictionary<string, object?> variables)
    {
        object? piped = null;
        var first = true;
        foreach (var command in pipeline.Commands)
        {
            var arguments = command.Skip(command[0] is FunctionOperand ? 1 : 0).Select(o => Evaluate(o, dot, root, variables)).ToList();
            if (!first)
            {
                arguments.Add(piped);
            }

            piped = command[0] is FunctionOperand function
                ? Call(function.Name, arguments, root)
                : arguments.Count == 1 ? arguments[0] : throw new FormatException("a value cannot take arguments");
            first = false;
        }

        return piped;
    }

    private object? Evaluate(Operand operand, object? dot, object root, Dictionary<string, object?> variables) => operand switch
    {
        LiteralOperand literal => literal.Value,
        SubPipelineOperand sub => Evaluate(sub.Pipeline, dot, root, variables),
        FieldOperand field => field.Path.Aggregate(
            field.Root switch
            {
                "." => dot,
                "$" => root,
                var name => variables.TryGetValue(name, out var v) ? v : throw new FormatException($"undefined variable {name}"),
            },
            (current, segment) => current is IDictionary<string, object?> map && map.TryGetValue(segment, out var next) ? next : null),
        _ => throw new FormatException("a function name is not a value"),
    };

    private object? Call(string name, List<object?> a, object root)
    {
        return name switch
        {
            "include" => RenderDefine((string)a[0]!, a[1], root),
            "toYaml" => HelmValues.ToYaml(a[0]),
            "nindent" => "\n" + Indent((int)(long)a[0]!, Print(a[1])),
            "indent" => Indent((int)(long)a[0]!, Print(a[1])),
            "quote" => "\"" + Print(a[0]).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
            "default" => IsTrue(a[1]) ? a[1] : a[0],
            "required" => IsTrue(a[1]) ? a[1] : throw new FormatException((string)a[0]!),
            "not" => !IsTrue(a[0]),
            "and" => a.All(IsTrue),
            "or" => a.Any(IsTrue),
            "eq" => Equals(a[0], a[1]),
            "ne" => !Equals(a[0], a[1]),
            "printf" => Printf((string)a[0]!, a.Skip(1).ToList()),
            "trunc" => Print(a[1]) is var s && s.Length > (long)a[0]! ? s[..(int)(long)a[0]!] : Print(a[1]),
            "trimSuffix" => Print(a[1]).EndsWith((string)a[0]!, StringComparison.Ordinal) ? Print(a[1])[..^((string)a[0]!).Length] : Print(a[1]),
            "toString" => Print(a[0]),
            _ => throw new FormatException($"function {name}"),
        };
    }

    private string RenderDefine(string name, object? dot, object root)
    {
        if (!_defines.TryGetValue(name, out var body))
        {
            throw new FormatException($"no define \"{name}\"");
        }

        var output = new StringBuilder();
        Execute(body, dot, root, new Dictionary<string, object?>(StringComparer.Ordinal), output);
        return output.ToString();
    }

    private static string Printf(string format, List<object?> arguments)
    {
        var index = 0;
        return System.Text.RegularExpressions.Regex.Replace(format, "%[sdv]", _ => Print(arguments[index++]));
    }

    private static string Indent(int spaces, string text) =>
        string.Join('\n', text.Split('\n').Select(line => new string(' ', spaces) + line));

    private static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        long n => n != 0,
        double d => d != 0,
        string s => s.Length > 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    private static string Print(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => throw new FormatException($"cannot print a {value.GetType().Name}; use toYaml"),
    };
}
