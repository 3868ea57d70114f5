namespace FreshchatStream.Sandbox.Freshchat.Generation;

/// <summary>
/// Word lists for generated names and message texts, deliberately multilingual with accents, non-Latin scripts,
/// apostrophes and emoji so serializers and Avro strings get exercised.
/// </summary>
internal static class TextCorpus
{
    public static readonly string[] FirstNames =
    [
        "Amélie", "Zoë", "Søren", "Łukasz", "José", "Nguyễn", "李", "Иван", "Ελένη", "محمد", "Aoife", "Björk",
        "Chloé", "Dvořák", "Ömer", "Ñuño", "Siobhán", "Jürgen", "Priya", "Kofi", "Yuki", "さくら", "Mateus", "Olga",
        "Fatima", "Noah", "Emma", "Liam", "Ana 🌸", "Dmitrij", "Gaëlle", "Håkon", "Iñaki", "Zsófia", "Tomás", "Wiremu",
    ];

    public static readonly string[] LastNames =
    [
        "Dupont", "O'Brien", "Müller", "Kowalski", "García", "Trần", "王", "Петров", "Παπαδοπούλου", "Al-Farsi",
        "Ní Bhriain", "Guðmundsdóttir", "Lefèvre", "Novák", "Yılmaz", "Peña", "Smith", "Schröder", "Sharma", "Mensah",
        "Tanaka", "山田", "Silva", "Ivanova", "Haddad", "van der Berg", "Øvergaard", "Zubiri", "Szabó", "Ó Súilleabháin",
    ];

    public static readonly string[] Domains = ["example.com", "example.org", "mail.example.net", "exemple.fr", "beispiel.de"];

    public static readonly string[] CustomerLines =
    [
        "Hi, I can't log in to my account since this morning.",
        "Bonjour, ma commande n'est toujours pas arrivée 📦",
        "Where is my refund? It's been 10 days 😤",
        "Hallo! Können Sie mir bei der Rechnung helfen?",
        "Thanks a lot, that fixed it 🙏🎉",
        "¿Pueden cambiar la dirección de envío?",
        "Заказ пришёл повреждённым, что делать?",
        "配送状況を教えてください。",
        "The app crashes when I upload a photo 📷",
        "Can I upgrade my plan mid-cycle?",
        "ok",
        "👍",
        "Is there a way to export my data as CSV?",
        "My card was charged twice — order #48213",
    ];

    public static readonly string[] AgentLines =
    [
        "Hello! Thanks for reaching out, let me check that for you.",
        "I've reset your password; please check your inbox ✉️",
        "Votre colis est en cours de livraison 🚚",
        "I'm escalating this to our billing team.",
        "Could you share a screenshot of the error?",
        "Your refund was processed today and should arrive within 5 business days.",
        "Gern geschehen! Noch etwas?",
        "I'm sorry about the trouble 😔 — we'll make it right.",
        "Is there anything else I can help you with?",
    ];

    public static readonly string[] SystemLines =
    [
        "Conversation was assigned to an agent",
        "Conversation was resolved",
        "Conversation was reopened",
        "Conversation was moved to group",
    ];

    public static readonly string[] QuickReplies = ["Yes ✅", "No ❌", "Talk to a human", "Track my order", "Billing", "Autre chose…"];

    public static readonly string[] FileNames = ["invoice-2025-11.pdf", "screenshot.png", "logs.txt", "contrat signé.pdf", "写真.jpg"];

    public static readonly string[] ContentTypes = ["application/pdf", "image/png", "text/plain", "application/pdf", "image/jpeg"];

    public static readonly string[] Locales = ["en", "fr", "de", "es", "ja", "ru", "pt-BR"];

    public static readonly string[] Timezones = ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Asia/Tokyo", "UTC", "Australia/Sydney"];

    /// <summary>A several-kilobyte text mixing scripts, for oversized message tests.</summary>
    public static string LongText(ulong hash)
    {
        var sb = new System.Text.StringBuilder();
        var n = 20 + DeterministicHash.Below(hash, 60);
        for (var i = 0; i < n; i++)
        {
            sb.Append(CustomerLines[(int)(((hash >> (i % 48)) + (ulong)i) % (ulong)CustomerLines.Length)]).Append(' ');
            if (i % 7 == 3) sb.Append('\n');
        }
        return sb.ToString().TrimEnd();
    }
}
