# matgrade's grading service: `docker build -t matgrade .` then
#   docker run -p 8000:8000 -v matgrade-data:/data -v "$PWD/hw1.toml:/course/hw1.toml:ro" \
#     --cap-add SYS_ADMIN matgrade --assignment /course/hw1.toml
# (docs/service.md, "In a container").  CAP_SYS_ADMIN gives student code its private file system
# and network; without it `grade doctor` says which layers remain (Landlock, seccomp, a private uid).
FROM python:3.11-slim-bookworm

RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libseccomp2 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/matgrade
COPY pyproject.toml README.md ./
COPY grader ./grader
COPY reference ./reference
COPY exercises ./exercises
COPY matgrade ./matgrade
RUN pip install --no-cache-dir '.[serve]'

VOLUME /data
EXPOSE 8000
# The service listens on every interface inside the container; publish it behind a TLS proxy.
ENTRYPOINT ["grade", "serve", "--data", "/data", "--host", "0.0.0.0", "--port", "8000"]
