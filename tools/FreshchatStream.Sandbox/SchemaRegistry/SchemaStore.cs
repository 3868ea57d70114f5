namespace FreshchatStream.Sandbox.SchemaRegistry;

/// <summary>One version of one subject as the REST API renders it.</summary>
internal sealed record SubjectVersionView(string Subject, int Version, int Id, string Schema);

/// <summary>
/// The registry's in-memory state: globally numbered schemas, subjects with their versions, and
/// compatibility configuration. Every operation takes one lock, so a registration's compatibility
/// check and the version it appends are atomic.
/// </summary>
internal sealed class SchemaStore(CompatibilityLevel defaultCompatibility)
{
    private readonly Lock _gate = new();
    private readonly List<SchemaDocument> _schemasById = [];
    private readonly Dictionary<string, int> _idByIdentity = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SubjectState> _subjects = new(StringComparer.Ordinal);
    private CompatibilityLevel _globalCompatibility = defaultCompatibility;

    public int Register(string subject, SchemaDocument schema)
    {
        lock (_gate)
        {
            var state = GetOrAddSubject(subject);
            var live = state.Live().ToList();
            if (_idByIdentity.TryGetValue(schema.IdentityKey, out var existingId) && live.Any(v => v.Id == existingId))
            {
                return existingId;
            }

            var level = state.Compatibility ?? _globalCompatibility;
            var history = live.Select(v => (v.Version, _schemasById[v.Id - 1].Parsed)).ToList();
            var problems = AvroCompatibilityChecker.CheckEvolution(level, schema.Parsed, history);
            if (problems.Count > 0)
            {
                throw RegistryException.Incompatible(subject, problems);
            }

            var id = existingId;
            if (id == 0)
            {
                _schemasById.Add(schema);
                id = _schemasById.Count;
                _idByIdentity[schema.IdentityKey] = id;
            }

            var nextVersion = state.Versions.Count == 0 ? 1 : state.Versions.Max(v => v.Version) + 1;
            state.Versions.Add(new SubjectVersion(nextVersion, id));
            return id;
        }
    }

    public SubjectVersionView Lookup(string subject, SchemaDocument schema, bool includeDeleted)
    {
        lock (_gate)
        {
            var state = RequireSubject(subject, includeDeleted);
            if (_idByIdentity.TryGetValue(schema.IdentityKey, out var id))
            {
                var match = state.Versions.Where(v => v.Id == id && (includeDeleted || !v.Deleted)).OrderByDescending(v => v.Version).FirstOrDefault();
                if (match is not null)
                {
                    return View(subject, match);
                }
            }

            throw RegistryException.SchemaNotFound("Schema not found");
        }
    }

    public SchemaDocument GetSchema(int id)
    {
        lock (_gate)
        {
            return id >= 1 && id <= _schemasById.Count
                ? _schemasById[id - 1]
                : throw RegistryException.SchemaNotFound($"Schema {id} not found");
        }
    }

    public IReadOnlyList<(string Subject, int Version)> GetVersionsOfSchema(int id, bool includeDeleted)
    {
        lock (_gate)
        {
            if (id < 1 || id > _schemasById.Count)
            {
                throw RegistryException.SchemaNotFound($"Schema {id} not found");
            }

            return _subjects
                .SelectMany(s => s.Value.Versions.Where(v => v.Id == id && (includeDeleted || !v.Deleted)).Select(v => (s.Key, v.Version)))
                .ToList();
        }
    }

    public IReadOnlyList<string> ListSubjects(bool includeDeleted, string? prefix = null)
    {
        lock (_gate)
        {
            return _subjects
                .Where(s => (includeDeleted ? s.Value.Versions.Count > 0 : s.Value.Live().Any())
                            && (string.IsNullOrEmpty(prefix) || s.Key.StartsWith(prefix, StringComparison.Ordinal)))
                .Select(s => s.Key)
                .ToList();
        }
    }

    public IReadOnlyList<int> ListVersions(string subject, bool includeDeleted)
    {
        lock (_gate)
        {
            var state = RequireSubject(subject, includeDeleted);
            return state.Versions.Where(v => includeDeleted || !v.Deleted).Select(v => v.Version).ToList();
        }
    }

    /// <param name="version">A version number, or null for the latest.</param>
    public SubjectVersionView GetVersion(string subject, int? version, bool includeDeleted)
    {
        lock (_gate)
        {
            var state = RequireSubject(subject, includeDeleted);
            return View(subject, FindVersion(state, subject, version, includeDeleted));
        }
    }

    public IReadOnlyList<int> DeleteSubject(string subject, bool permanent)
    {
        lock (_gate)
        {
            if (!_subjects.TryGetValue(subject, out var state) || state.Versions.Count == 0)
            {
                throw RegistryException.SubjectNotFound(subject);
            }

            if (permanent)
            {
                if (state.Live().Any())
                {
                    throw RegistryException.SubjectNotSoftDeleted(subject);
                }

                var removed = state.Versions.Select(v => v.Version).ToList();
                _subjects.Remove(subject);
                return removed;
            }

            var live = state.Live().ToList();
            if (live.Count == 0)
            {
                throw new RegistryException(System.Net.HttpStatusCode.NotFound, 40404,
                    $"Subject '{subject}' was soft deleted. Set permanent=true to delete permanently");
            }

            live.ForEach(v => v.Deleted = true);
            return live.Select(v => v.Version).ToList();
        }
    }

    public int DeleteVersion(string subject, int? version, bool permanent)
    {
        lock (_gate)
        {
            var state = RequireSubject(subject, includeDeleted: permanent);
            var target = FindVersion(state, subject, version, includeDeleted: permanent);
            if (permanent)
            {
                if (!target.Deleted)
                {
                    throw RegistryException.VersionNotSoftDeleted(subject, target.Version);
                }

                state.Versions.Remove(target);
            }
            else
            {
                target.Deleted = true;
            }

            return target.Version;
        }
    }

    public CompatibilityLevel GlobalCompatibility
    {
        get { lock (_gate) { return _globalCompatibility; } }
        set { lock (_gate) { _globalCompatibility = value; } }
    }

    public CompatibilityLevel GetSubjectCompatibility(string subject, bool defaultToGlobal)
    {
        lock (_gate)
        {
            if (_subjects.TryGetValue(subject, out var state) && state.Compatibility is { } level)
            {
                return level;
            }

            return defaultToGlobal ? _globalCompatibility : throw RegistryException.SubjectCompatibilityNotConfigured(subject);
        }
    }

    public void SetSubjectCompatibility(string subject, CompatibilityLevel level)
    {
        lock (_gate)
        {
            GetOrAddSubject(subject).Compatibility = level;
        }
    }

    public CompatibilityLevel DeleteSubjectCompatibility(string subject)
    {
        lock (_gate)
        {
            if (!_subjects.TryGetValue(subject, out var state) || state.Compatibility is not { } previous)
            {
                throw RegistryException.SubjectNotFound(subject);
            }

            state.Compatibility = null;
            return previous;
        }
    }

    /// <summary>
    /// Checks a schema against one version (<paramref name="version"/> given) or, for "latest" or no version,
    /// against what a registration would be checked against under the subject's level.
    /// </summary>
    public IReadOnlyList<string> CheckCompatibility(string subject, int? version, bool againstLatestByLevel, SchemaDocument schema)
    {
        lock (_gate)
        {
            _subjects.TryGetValue(subject, out var state);
            var level = state?.Compatibility ?? _globalCompatibility;
            var live = state?.Live().ToList() ?? [];
            if (againstLatestByLevel)
            {
                var history = live.Select(v => (v.Version, _schemasById[v.Id - 1].Parsed)).ToList();
                return AvroCompatibilityChecker.CheckEvolution(level, schema.Parsed, history);
            }

            if (live.Count == 0)
            {
                throw RegistryException.SubjectNotFound(subject);
            }

            var target = FindVersion(state!, subject, version, includeDeleted: false);
            var single = new List<(int, Avro.Schema)> { (target.Version, _schemasById[target.Id - 1].Parsed) };
            return AvroCompatibilityChecker.CheckEvolution(level, schema.Parsed, single);
        }
    }

    private SubjectState GetOrAddSubject(string subject)
    {
        if (!_subjects.TryGetValue(subject, out var state))
        {
            state = new SubjectState();
            _subjects.Add(subject, state);
        }

        return state;
    }

    private SubjectState RequireSubject(string subject, bool includeDeleted)
    {
        if (_subjects.TryGetValue(subject, out var state) && state.Versions.Any(v => includeDeleted || !v.Deleted))
        {
            return state;
        }

        throw RegistryException.SubjectNotFound(subject);
    }

    private static SubjectVersion FindVersion(SubjectState state, string subject, int? version, bool includeDeleted)
    {
        var candidates = state.Versions.Where(v => includeDeleted || !v.Deleted);
        var found = version is { } number
            ? candidates.FirstOrDefault(v => v.Version == number)
            : candidates.OrderByDescending(v => v.Version).FirstOrDefault();
        return found ?? throw RegistryException.VersionNotFound(subject, version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "latest");
    }

    private SubjectVersionView View(string subject, SubjectVersion version) =>
        new(subject, version.Version, version.Id, _schemasById[version.Id - 1].Text);

    private sealed class SubjectState
    {
        public List<SubjectVersion> Versions { get; } = [];

        public CompatibilityLevel? Compatibility { get; set; }

        public IEnumerable<SubjectVersion> Live() => Versions.Where(v => !v.Deleted);
    }

    private sealed class SubjectVersion(int version, int id)
    {
        public int Version { get; } = version;

        public int Id { get; } = id;

        public bool Deleted { get; set; }
    }
}
