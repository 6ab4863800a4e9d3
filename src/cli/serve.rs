//! `rolebook serve [DIR]`: the handbook in the browser, rebuilt and reloaded on every save.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use super::{Outcome, default_dir, print};
use crate::diag::display_path;
use crate::render::Edition;
use crate::serve::{Config, Server};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Open the address it prints: the handbook as `build --to html` makes it, with \
the findings of `check` above it (each linked to the row it is about). Save a file and the page \
follows as soon as the folder is built again; a file that cannot be read shows its error above \
the last good build.\n\
Only this machine can see the preview unless --bind says otherwise. Ctrl-C stops it.\n\
Exit codes: 0 stopped by Ctrl-C, 2 the tool could not run (no such folder, port in use)."
)]
pub struct Args {
    /// The positions folder
    #[arg(default_value_os_t = default_dir())]
    pub dir: PathBuf,
    /// The port to listen on (0: any free port; the address is printed on the first line)
    #[arg(long, short, default_value_t = 3000)]
    pub port: u16,
    /// The address to listen on; anything but loopback shows the handbook to the network
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Which edition to show
    #[arg(long, value_enum, default_value_t = Edition::Internal)]
    pub edition: Edition,
    /// A folder of templates replacing the built-in ones by name, as for build (watched too)
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    // Ctrl-C (and SIGTERM) end the serving loop rather than the process, so that it can close
    // its connections and say so. Set before anything is printed: a test (or a user) may
    // press it as soon as the address shows.
    let (tx, stop) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })?;
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can read the handbook \
             ({} edition{}); leave out --bind to keep it on this machine",
            args.bind,
            args.edition.as_str(),
            if args.edition == Edition::Internal {
                ", with every confidential field"
            } else {
                ""
            }
        );
    }
    let server = Server::start(Config {
        dir: args.dir.clone(),
        edition: args.edition,
        templates: args.templates,
        source_date: super::build::source_date_epoch(),
        addr: SocketAddr::new(args.bind, args.port),
    })?;
    let addr = server.local_addr()?;
    print(&format!(
        "serving {} at http://{addr}/ ({} edition); Ctrl-C to stop\n{}\n",
        display_path(&args.dir),
        args.edition.as_str(),
        server.first_build()
    ))?;
    server.run(stop, |line| {
        let _ = print(&format!("{line}\n"));
    })?;
    let _ = print("stopped\n");
    Ok(Outcome::Ok)
}
