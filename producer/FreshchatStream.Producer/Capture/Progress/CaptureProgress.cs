using System.Collections.Concurrent;
using System.Globalization;
using FreshchatStream.Hosting;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Hosting;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// The account's progress: one <see cref="PassProgress"/> per resource pass in flight, begun and ended by
/// <see cref="CaptureCycle"/> and reported into by the strategies. It is an observer only: nothing in capture
/// reads it back. <see cref="ProgressReporter"/> logs it every <c>Observability:ProgressInterval</c> and keeps it in
/// Redis for <c>status</c>; <see cref="ProgressMetrics"/> exports it. On a first capture it also logs, once, how many
/// requests and how long the whole first cycle takes (<see cref="FirstCycleEstimate"/>).
/// </summary>
public sealed class CaptureProgress : IDisposable
{
    private const string UsersEndpoint = "GET /v2/users";

    private readonly ConcurrentDictionary<string, PassProgress> _active = new(StringComparer.Ordinal);
    private readonly FreshchatMetrics _requests;
    private readonly FreshchatOptions _freshchat;
    private readonly CaptureOptions _capture;
    private readonly ObservabilityOptions _observability;
    private readonly ListingTotals _listings;
    private readonly ProgressStore _store;
    private readonly TextWriter? _console;
    private readonly TimeProvider _time;
    private readonly ILogger<CaptureProgress> _logger;
    private readonly string _instance = $"{Environment.MachineName}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
    private long? _cycleStartRequests;
    private long? _usersListed;
    private bool _firstCapture;
    private int _estimateLogged;
    private int _preliminaryLogged;

    public CaptureProgress(FreshchatMetrics requests, FreshchatOptions freshchat, IOptions<CaptureOptions> capture, IOptions<ObservabilityOptions> observability,
        ListingTotals listings, ProgressStore store, CaptureRun run, TimeProvider time, ILogger<CaptureProgress> logger)
    {
        _requests = requests;
        _freshchat = freshchat;
        _capture = capture.Value;
        _observability = observability.Value;
        _listings = listings;
        _store = store;
        _console = run.ProgressConsole;
        _time = time;
        _logger = logger;
        _listings.Listed += OnListed;
    }

    /// <summary>The estimate logged on this account's first cycle, once it was made.</summary>
    public FirstCycleEstimate? FirstCycle { get; private set; }

    public TimeSpan Interval => _observability.ProgressInterval;

    /// <summary>
    /// Starts following a pass. A changes cycle whose users were never captured (no users cursor) is a first capture:
    /// its discovery sample yields the first-cycle estimate.
    /// </summary>
    public PassProgress Begin(string pass, CaptureRun run, IReadOnlyDictionary<string, ResourceCursor> cursors)
    {
        lock (_active)
        {
            _cycleStartRequests ??= _requests.RequestsSent;
            _firstCapture = run.Mode == CaptureMode.Changes && !run.Push && !cursors.ContainsKey(CaptureCatalogue.Users);
        }

        var progress = new PassProgress(pass, _time, () => _requests.RequestsSent, OnSampled);
        _active[pass] = progress;
        return progress;
    }

    /// <summary>Stops following a pass; a pass that lasted longer than the interval gets a final line matching its totals.</summary>
    public void End(PassProgress pass)
    {
        _active.TryRemove(new KeyValuePair<string, PassProgress>(pass.Resource, pass));
        var reading = Read(pass);
        if (_console is { } console)
        {
            console.WriteLine($"snapshot {ProgressLine.Finished(reading, pass.Succeeded)}");
        }
        else if (reading.Elapsed >= Interval)
        {
            Log.Finished(_logger, ProgressLine.Finished(reading, pass.Succeeded));
        }
    }

    /// <summary>The cycle is over: its progress is removed from Redis at once, so <c>status</c> stops showing it.</summary>
    public async Task EndCycleAsync(CancellationToken cancellationToken = default)
    {
        lock (_active)
        {
            _cycleStartRequests = null;
            _usersListed = null;
        }

        try
        {
            await _store.ClearAsync(cancellationToken);
        }
        catch (Exception e)
        {
            // Progress is an observer: whatever Redis answers here must never fail the capture; the key's TTL removes it anyway.
            Log.StoreFailed(_logger, e.Message);
        }
    }

    /// <summary>Readings of every pass in flight.</summary>
    public IReadOnlyList<ProgressReading> Read() => [.. _active.Values.Select(Read).OrderBy(r => r.Elapsed)];

    /// <summary>Logs (or, for <c>snapshot</c>, prints on standard error) one line per pass that has lasted longer than the interval, and refreshes Redis.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        var readings = Read();
        foreach (var reading in readings.Where(r => r.Elapsed >= Interval))
        {
            if (_console is { } console)
            {
                console.WriteLine($"snapshot {ProgressLine.InFlight(reading)}");
            }
            else
            {
                Log.InFlight(_logger, ProgressLine.InFlight(reading));
            }
        }

        if (readings.Count == 0)
        {
            return;
        }

        try
        {
            // Three intervals (at least 30 s): a slow Redis round trip never lets it lapse, a killed run's disappears soon.
            var ttl = Interval * 3 < TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : Interval * 3;
            await _store.PublishAsync(InFlightProgress.From(_instance, _time.GetUtcNow(), readings), ttl, cancellationToken);
        }
        catch (CursorStoreUnavailableException e)
        {
            Log.StoreFailed(_logger, e.Message);
        }
    }

    private ProgressReading Read(PassProgress pass) =>
        ProgressEstimator.Read(pass.Read(), _time.GetUtcNow(), _requests.RequestsSent, _freshchat.RequestsPerMinute);

    /// <summary>A listing's first page announced its total: the pass listing that resource now knows that many more items.</summary>
    private void OnListed(string endpoint, long total)
    {
        const string prefix = "GET /v2/";
        var resource = endpoint.StartsWith(prefix, StringComparison.Ordinal) ? endpoint[prefix.Length..] : endpoint;
        var pass = _active.Values.FirstOrDefault(p => p.Resource.Split('+').Contains(resource, StringComparer.Ordinal));
        if (pass is null)
        {
            return;
        }

        pass.AddKnown(total);
        if (endpoint != UsersEndpoint)
        {
            return;
        }

        long spent;
        lock (_active)
        {
            _usersListed ??= total;
            if (!_firstCapture || _cycleStartRequests is not { } start)
            {
                return;
            }

            spent = _requests.RequestsSent - start;
        }

        // The first listing's first page: what users alone cost, said at once (a large account lists for minutes
        // before any conversation list is read); the full estimate follows after the discovery sample.
        if (total > 0 && Interlocked.Exchange(ref _preliminaryLogged, 1) == 0)
        {
            var pageSize = _listings.PageSize(UsersEndpoint) ?? _freshchat.ItemsPerPage;
            var estimate = FirstCycleEstimate.Derive(total, pageSize, 0, 0, Math.Max(0, spent - 1), 0, _freshchat.RequestsPerMinute,
                _capture.Conversations.DiscoveryPerCycle, _capture.Conversations.MaxPerCycle);
            Log.FirstCycle(_logger, estimate.Describe());
        }
    }

    /// <summary>A discovery phase read its sample of users' conversation lists: on a first capture, the estimate.</summary>
    private void OnSampled(PassProgress pass)
    {
        long spent;
        long users;
        lock (_active)
        {
            if (!_firstCapture || _cycleStartRequests is not { } start)
            {
                return;
            }

            spent = _requests.RequestsSent - start;
            users = _usersListed ?? pass.Read().Known ?? 0;
        }

        var counters = pass.Read();
        if (users == 0 || Interlocked.Exchange(ref _estimateLogged, 1) == 1)
        {
            return;
        }

        FirstCycle = FirstCycleEstimate.Derive(users, null, counters.Done, counters.Found, spent, counters.Done, _freshchat.RequestsPerMinute,
            _capture.Conversations.DiscoveryPerCycle, _capture.Conversations.MaxPerCycle);
        Log.FirstCycle(_logger, FirstCycle.Describe());
    }

    public void Dispose() => _listings.Listed -= OnListed;
}
