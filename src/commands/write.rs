//! Files flowcost writes: atomically where the target is a regular file (a temporary file
//! beside it, renamed over it), straight through where it is a device or a pipe, and never
//! over a file the run reads.
//!
//! - A regular file (new or existing) is replaced by rename: a reader never sees half a file,
//!   and a failed run leaves the old one.
//! - A symbolic link is followed deliberately: the file it points at is replaced and the link
//!   stays a link. A link whose target does not exist is refused.
//! - A device (`/dev/null`) or a named pipe is opened and written: renaming a file over it
//!   would destroy it (and a temporary in `/dev` could fill memory). `/dev/stdout` and
//!   `/dev/stderr` are this process's own, written as they are open (a shell's `>>` appends).
//! - What a path is decides, not where it is: a regular file under `/dev/shm` is replaced.
//! - Temporaries are removed on every exit: on error by their drop, and on SIGINT, SIGTERM or
//!   SIGHUP by a handler that deletes those still open before the process exits.
//! - Every input the run reads ([`input`]) is refused as an output.

use super::Failure;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

/// The files this run reads (flows, rate cards, configs, catalogs, logs): no output may replace one.
static INPUTS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The temporary files not yet renamed into place, removed if a signal ends the run.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The new files this run created (`init`), removed if a signal ends the run before it is
/// done: never half a project.
static CREATED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Records `path` as an input of this run: [`write_atomically`] and friends refuse to write it.
pub fn input(path: &Path) {
    if let Ok(mut inputs) = INPUTS.lock() {
        inputs.push(path.to_path_buf());
    }
}

/// Refuses `path` when it is an input recorded with [`input`], whatever the spelling of
/// either path: flowcost never writes over its inputs.
pub fn refuse_inputs(path: &Path) -> Result<(), Failure> {
    let target = std::fs::canonicalize(path).ok();
    let same = |input: &Path| match (std::fs::canonicalize(input), &target) {
        (Ok(a), Some(b)) => a == *b,
        _ => input == path,
    };
    let recorded = INPUTS.lock().map(|v| v.clone()).unwrap_or_default();
    if recorded.iter().any(|i| same(i)) {
        return Err(Failure::Io(format!(
            "{} is an input file: flowcost never overwrites its inputs",
            path.display()
        )));
    }
    Ok(())
}

/// Writes `contents` to `path` (see the module's documentation). Refuses to write over an
/// input of the run (recorded with [`input`]).
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Failure> {
    write_atomically_with(path, |w| std::io::Write::write_all(w, contents))
}

/// [`write_atomically`] for output written piece by piece: `write` fills the temporary file,
/// which replaces the target only once `write` has succeeded.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), Failure> {
    refuse_inputs(path)?;
    let fail = |e: std::io::Error| Failure::Io(format!("cannot write {}: {e}", path.display()));
    match destination(path)? {
        Destination::Inherited(fd) => write(&mut inherited(fd).map_err(fail)?).map_err(fail),
        Destination::Through => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| fail(plain(e)))?;
            write(&mut file).map_err(fail)
        }
        Destination::Replace(target) => {
            let mut tmp = Temporary::beside(&target).map_err(|e| fail(plain(e)))?;
            write(tmp.as_file_mut().map_err(fail)?).map_err(fail)?;
            tmp.persist(&target, false).map_err(fail)
        }
    }
}

/// This process's standard output (1) or error (2) as a file: the same open file, so a shell's
/// `>>` (append) holds.
fn inherited(fd: i32) -> std::io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    let owned = if fd == 2 {
        std::io::stderr().as_fd().try_clone_to_owned()?
    } else {
        std::io::stdout().as_fd().try_clone_to_owned()?
    };
    Ok(std::fs::File::from(owned))
}

/// Writes a new file atomically (temporary file renamed into place) and refuses, without
/// touching it, a file that exists: `init` never overwrites anything.
pub fn create_atomically(path: &Path, contents: &[u8]) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::Io(format!("cannot write {}: {e}", path.display()));
    let mut tmp = Temporary::beside(path).map_err(|e| fail(plain(e)))?;
    std::io::Write::write_all(tmp.as_file_mut().map_err(fail)?, contents).map_err(fail)?;
    tmp.persist(path, true).map_err(fail)
}

/// How a target is written.
#[derive(Debug, PartialEq)]
enum Destination {
    /// This process's standard output (1) or error (2), named `/dev/stdout`, `/dev/fd/1`…:
    /// written through the inherited file, so a shell's `>>` appends.
    Inherited(i32),
    /// Opened and written in place: a device, a named pipe.
    Through,
    /// A regular file (the one a link points at), replaced by rename.
    Replace(PathBuf),
}

/// Decides how `path` is written, by what it is (wherever it lives); refuses directories and
/// dangling links.
fn destination(path: &Path) -> Result<Destination, Failure> {
    let refuse = |why: &str| Failure::Io(format!("cannot write {}: {why}", path.display()));
    for (fd, names) in [
        (1, ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]),
        (2, ["/dev/stderr", "/dev/fd/2", "/proc/self/fd/2"]),
    ] {
        if names.iter().any(|n| path == Path::new(n)) {
            return Ok(Destination::Inherited(fd));
        }
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(refuse("it is a directory; name a file")),
        Ok(meta) if meta.is_file() => {
            let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
            let target = if link {
                std::fs::canonicalize(path).map_err(|e| refuse(&plain(e).to_string()))?
            } else {
                path.to_path_buf()
            };
            Ok(Destination::Replace(target))
        }
        Ok(_) => Ok(Destination::Through),
        Err(_) if std::fs::symlink_metadata(path).is_ok() => Err(refuse(
            "it is a symbolic link to a file that does not exist; name the file itself",
        )),
        Err(_) => Ok(Destination::Replace(path.to_path_buf())),
    }
}

/// An I/O error without the path some libraries add to it (the name of a temporary file means
/// nothing to the user: the message names the target).
fn plain(e: std::io::Error) -> std::io::Error {
    match e.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::from(e.kind()),
    }
}

/// A temporary file beside its target, registered for removal if a signal ends the run.
struct Temporary {
    file: Option<tempfile::NamedTempFile>,
    name: PathBuf,
}

impl Temporary {
    /// A temporary file in the directory of `path` (so the rename stays on one file system),
    /// with the permissions of the file it replaces, or the usual 0644 for a new one (a bare
    /// temporary file would be 0600: man pages and completions unreadable by other users).
    fn beside(path: &Path) -> std::io::Result<Self> {
        remove_on_signal();
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".flowcost-");
        #[cfg(unix)]
        let permissions = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::os::unix::fs::PermissionsExt::from_mode(0o644));
        #[cfg(unix)]
        builder.permissions(permissions);
        let mut temporaries = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
        let file = builder.tempfile_in(dir)?;
        let name = file.path().to_path_buf();
        temporaries.push(name.clone());
        Ok(Self {
            file: Some(file),
            name,
        })
    }

    /// Renames the file over `target` (or, with `new`, only where nothing is).
    /// The signal handler's lists are held across the rename: it sees either the temporary
    /// (and removes it) or the finished file, never both.
    fn persist(mut self, target: &Path, new: bool) -> std::io::Result<()> {
        let Some(file) = self.file.take() else {
            return Err(std::io::ErrorKind::NotFound.into());
        };
        let mut temporaries = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
        let done = if new {
            file.persist_noclobber(target)
        } else {
            file.persist(target)
        };
        temporaries.retain(|t| *t != self.name);
        if new && done.is_ok() {
            // A new file of `init`'s: a signal before the project is whole takes it back.
            let mut created = CREATED.lock().unwrap_or_else(|e| e.into_inner());
            created.push(target.to_path_buf());
        }
        done.map(drop).map_err(|e| plain(e.error))
    }

    /// The open temporary file.
    fn as_file_mut(&mut self) -> std::io::Result<&mut std::fs::File> {
        match &mut self.file {
            Some(f) => Ok(f.as_file_mut()),
            None => Err(std::io::ErrorKind::NotFound.into()),
        }
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        drop(self.file.take()); // removes the file unless it was renamed
        forget(&self.name);
    }
}

/// Takes a temporary off the signal handler's list.
fn forget(name: &Path) {
    let mut temporaries = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
    temporaries.retain(|t| t != name);
}

/// Installs, once, the handler that, on SIGINT, SIGTERM or SIGHUP, removes open temporaries
/// and the files `init` has created so far, and ends the run with the shell's code for the
/// signal (128 + its number: 130, 143, 129).
fn remove_on_signal() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let temporaries = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
                let created = CREATED.lock().unwrap_or_else(|e| e.into_inner());
                for t in temporaries.iter().chain(created.iter()) {
                    let _ = std::fs::remove_file(t);
                }
                eprintln!("flowcost: interrupted; no file was written");
                std::process::exit(128 + signal);
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_written_through_and_files_replaced() {
        assert_eq!(
            destination(Path::new("/dev/null")).ok().unwrap(),
            Destination::Through
        );
        assert_eq!(
            destination(Path::new("/dev/stdout")).ok().unwrap(),
            Destination::Inherited(1)
        );
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.txt");
        assert_eq!(
            destination(&new).ok().unwrap(),
            Destination::Replace(new.clone())
        );
        assert!(destination(dir.path()).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_dangling_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let canonical = std::fs::canonicalize(&real).unwrap();
        assert_eq!(
            destination(&link).ok().unwrap(),
            Destination::Replace(canonical)
        );
        let dangling = dir.path().join("dangling.txt");
        std::os::unix::fs::symlink(dir.path().join("missing"), &dangling).unwrap();
        assert!(destination(&dangling).is_err());
    }
}
